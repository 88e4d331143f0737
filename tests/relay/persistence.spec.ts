/**
 * Acknowledged = persisted: whatever the relay forwarded survives `kill -9` and a restart on the same DATA_DIR,
 * and a till that connects after the restart gets it in the relay's very first sync answer.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
	CHAIN,
	connect,
	disconnectAll,
	eventually,
	killAllRelays,
	mintToken,
	startRelay,
	type RelayProcess
} from './harness.js';

let relay: RelayProcess;

beforeAll(async () => {
	relay = await startRelay();
}, 20_000);

afterAll(async () => {
	disconnectAll();
	await relay?.stop();
	killAllRelays();
});

const DOCS = {
	ledger: `${CHAIN}/ledger/12/202611`,
	members: `${CHAIN}/members/12`,
	branch: `${CHAIN}/branch/br-01/202611`
};

it('keeps everything it acknowledged across kill -9', async () => {
	const writer = await mintToken(relay.dataDir, {
		chain: CHAIN,
		branch: 'br-01',
		device: 'till-w',
		role: 'cashier'
	});
	const reader = await mintToken(relay.dataDir, {
		chain: CHAIN,
		branch: 'br-01',
		device: 'till-r',
		role: 'cashier'
	});

	const tills = Object.values(DOCS).map((doc) => ({
		doc,
		writer: connect(relay, doc, writer),
		reader: connect(relay, doc, reader)
	}));
	await Promise.all(tills.flatMap((t) => [t.writer.synced(), t.reader.synced()]));

	const ledger = tills[0]!.writer.doc.getMap('entries');
	for (let i = 0; i < 300; i++)
		ledger.set(`e${i}`, { id: `e${i}`, memberId: `m${i % 7}`, kind: 'earn', amount: i + 1 });
	tills[1]!.writer.doc.transact(() => {
		for (let i = 0; i < 100; i++)
			tills[1]!.writer.doc
				.getMap('records')
				.set(`members/m${i}`, { id: `m${i}`, phone: `1380000${String(i).padStart(4, '0')}` });
	});
	for (let i = 0; i < 50; i++)
		tills[2]!.writer.doc.getMap('records').set(`sales/s${i}`, { id: `s${i}`, total: 100 * i });

	// The relay forwards only what it stored: once the reader has it, it is on disk.
	const expected = tills.map((t) =>
		t.writer.doc.getMap(t.doc === DOCS.ledger ? 'entries' : 'records').toJSON()
	);
	await eventually(
		() =>
			tills.every(
				(t, i) =>
					JSON.stringify(t.reader.doc.getMap(t.doc === DOCS.ledger ? 'entries' : 'records').toJSON()) ===
					JSON.stringify(expected[i])
			),
		5000,
		'readers to receive every update'
	);
	disconnectAll();

	await relay.kill9();
	await relay.restart();

	for (const [i, name] of Object.values(DOCS).entries()) {
		const root = name === DOCS.ledger ? 'entries' : 'records';
		const fresh = connect(relay, name, reader);
		// Checked inside the first 'sync' event: the relay loaded the doc before answering (pitfall 4).
		const atFirstSync = await new Promise<unknown>((resolve) =>
			fresh.provider.once('sync', () => resolve(fresh.doc.getMap(root).toJSON()))
		);
		expect(atFirstSync).toEqual(expected[i]);
	}
	expect(Object.keys(expected[0] as object)).toHaveLength(300);
	expect(relay.logs.some((line) => line.includes('"relay ready"'))).toBe(true);
}, 20_000);
