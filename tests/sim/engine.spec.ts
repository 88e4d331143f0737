import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fen } from '../../src/lib/domain/money';
import { commitTopUp } from '../../src/lib/storage/memberMoney';
import { enrolMember, editMember, memberBalances } from '../../src/lib/storage/members';
import { saveStyleEdit } from '../../src/lib/storage/catalog';
import { newId } from '../../src/lib/storage/ids';
import { demoMembership } from '../../src/lib/demo/membership';
import { SimNetwork } from './net';
import { SimRelay } from './relay';
import { baseChain, seedBase, SimDevice, waitFor, type DeviceSpec } from './world';
import { commitRandomSale } from './ops';

let run = 0;
let net: SimNetwork;
let devices: SimDevice[];

const specs: DeviceSpec[] = [
	{ id: 'dev-a1', branch: 'br-B01', branchCode: 'B01', tillCode: 'T1', role: 'cashier' },
	{ id: 'dev-a2', branch: 'br-B01', branchCode: 'B01', tillCode: 'T2', role: 'cashier' },
	{ id: 'dev-b1', branch: 'br-B02', branchCode: 'B02', tillCode: 'T1', role: 'manager' }
];

beforeEach(async () => {
	run++;
	net = new SimNetwork(new SimRelay());
	net.auto = true;
	devices = specs.map((s) => new SimDevice(s, `engine-${run}-${s.id}`, net));
	const base = baseChain(2, 4);
	for (const d of devices) await seedBase(d.db, base);
	for (const d of devices) await d.start();
});

afterEach(async () => {
	for (const d of devices) {
		await d.stop();
		d.db.close();
		await d.db.delete();
	}
});

const [a1, a2, b1] = [0, 1, 2];
const dev = (i: number) => devices[i]!;
const outboxEmpty = (i: number) => async () => (await dev(i).db.outbox.count()) === 0;

async function enrol(i: number, phone: string) {
	const d = dev(i);
	const member = await enrolMember(d.db, {
		phone,
		staffId: 'stf-1',
		branchId: d.spec.branch,
		entryLevelId: 'lvl-regular',
		enrolmentPoints: 50,
		deviceId: d.spec.id
	});
	d.notify();
	return member;
}

describe('sync engine over the in-process relay', () => {
	it('replicates an enrolment and a top-up to another branch, then empties the outbox', async () => {
		const member = await enrol(a1, '13800000001');
		await waitFor(outboxEmpty(a1));
		await waitFor(async () => (await dev(b1).db.members.get(member.id)) !== undefined);
		await commitTopUp(dev(b1).db, {
			memberId: member.id,
			levelId: 'lvl-regular',
			amount: fen(50000),
			tenders: [{ id: newId(), kind: 'cash', amount: fen(50000) }],
			config: demoMembership(),
			till: {
				deviceId: 'dev-b1',
				branchId: 'br-B02',
				staffId: 'stf-2',
				numberParts: { branchCode: 'B02', tillCode: 'T1', dateKey: '20260101' }
			}
		});
		dev(b1).notify();
		await waitFor(async () => (await dev(a1).db.ledger.where('memberId').equals(member.id).count()) === 3);
		await waitFor(outboxEmpty(b1));
		const now = Date.now();
		const [x, y] = await Promise.all([
			memberBalances(dev(a1).db, member.id, now),
			memberBalances(dev(b1).db, member.id, now)
		]);
		expect(x.storedValue?.total).toBe(55000);
		expect(x.points?.balance).toBe(50);
		expect(y).toEqual(x);
		// The top-up record itself stays in its branch's documents.
		expect(await dev(a1).db.topUps.count()).toBe(0);
		expect(await dev(b1).db.topUps.count()).toBe(1);
	});

	it('keeps branch records in the branch: a sale reaches the sister till, not the other branch', async () => {
		const sale = await commitRandomSale(dev(a1), () => 0.3, null);
		dev(a1).notify();
		await waitFor(async () => (await dev(a2).db.sales.get(sale.id)) !== undefined);
		await waitFor(outboxEmpty(a1));
		expect(await dev(b1).db.sales.get(sale.id)).toBeUndefined();
		// (stock has no refId index since schema version 2: no till query needs one)
		expect(
			(
				await dev(a2)
					.db.stock.filter((m) => m.refId === sale.id)
					.toArray()
			).length
		).toBe(sale.lines.length);
	});

	it('writes the same outbox row twice without changing the document', async () => {
		const member = await enrol(a1, '13800000002');
		await waitFor(outboxEmpty(a1));
		const handle = [...dev(a1).engine!.openDocs.values()].find((h) => h.map.has(`members/${member.id}`))!;
		const before = Y.encodeStateVector(handle.doc);
		await dev(a1).db.outbox.bulkAdd([
			{ id: newId(), table: 'members', recordId: member.id, createdAt: Date.now() },
			{ id: newId(), table: 'members', recordId: member.id, createdAt: Date.now() }
		]);
		dev(a1).notify();
		await waitFor(outboxEmpty(a1));
		expect(Y.encodeStateVector(handle.doc)).toEqual(before);
	});

	it('lets the later profile edit win on every device, and a catalog edit reach every branch', async () => {
		const member = await enrol(a1, '13800000003');
		await waitFor(async () => (await dev(b1).db.members.get(member.id)) !== undefined);
		net.partition('dev-b1');
		await editMember(dev(b1).db, member.id, { name: '早改' }, 'stf-2', 480);
		await new Promise((r) => setTimeout(r, 5));
		await editMember(dev(a1).db, member.id, { name: '晚改' }, 'stf-1', 480);
		dev(a1).notify();
		dev(b1).notify();
		await waitFor(outboxEmpty(a1));
		net.heal('dev-b1');
		await waitFor(outboxEmpty(b1));
		for (const i of [a1, a2, b1])
			await waitFor(async () => (await dev(i).db.members.get(member.id))?.name === '晚改');

		const style = (await dev(b1).db.styles.get('sty-1'))!;
		const variants = await dev(b1).db.variants.where('styleId').equals('sty-1').toArray();
		await saveStyleEdit(dev(b1).db, { ...style, retailPrice: fen(12300), updatedAt: Date.now() }, variants);
		dev(b1).notify();
		await waitFor(async () => (await dev(a2).db.styles.get('sty-1'))?.retailPrice === 12300);
	});

	it('survives a relay restart: nothing acknowledged is lost, pending rows go out after it', async () => {
		const first = await enrol(a1, '13800000004');
		await waitFor(outboxEmpty(a1));
		net.relay.restart();
		const second = await enrol(a1, '13800000005');
		await waitFor(outboxEmpty(a1));
		for (const id of [first.id, second.id])
			await waitFor(async () => (await dev(b1).db.members.get(id)) !== undefined);
		expect(net.relay.stats.refused).toBe(0);
	});

	it('writes a record of an old month into a document opened for it, then lets that document go', async () => {
		const member = await enrol(a1, '13800000006');
		await waitFor(outboxEmpty(a1));
		const old = Date.now() - 120 * 86_400_000;
		const entry = {
			id: newId(old),
			memberId: member.id,
			account: 'points' as const,
			kind: 'adjustIn' as const,
			amount: 7,
			deviceId: 'dev-a1',
			seq: 99,
			createdAt: old,
			refs: ['stf-1'],
			reason: '补录'
		};
		await dev(a1).db.transaction('rw', dev(a1).db.ledger, dev(a1).db.outbox, async () => {
			await dev(a1).db.ledger.add(entry);
			await dev(a1).db.outbox.add({ id: newId(), table: 'ledger', recordId: entry.id, createdAt: old });
		});
		dev(a1).notify();
		await waitFor(outboxEmpty(a1));
		const name = [...net.relay.allDocs().keys()].find(
			(n) => n.includes('/ledger/') && net.relay.doc(n)?.getMap('entries').has(entry.id)
		);
		expect(name).toBeDefined();
		// Not one of the months a till watches: closed again once its row was acknowledged.
		await waitFor(() => !dev(a1).engine!.openDocs.has(name!));
	});

	it('holds back what this till may not write, and says so in its status', async () => {
		const style = (await dev(a1).db.styles.get('sty-2'))!;
		const variants = await dev(a1).db.variants.where('styleId').equals('sty-2').toArray();
		await saveStyleEdit(dev(a1).db, { ...style, name: '收银员改的', updatedAt: Date.now() }, variants);
		dev(a1).notify();
		await waitFor(() => dev(a1).engine!.status.stuck > 0);
		expect(await dev(a1).db.outbox.count()).toBeGreaterThan(0);
		expect((await dev(a1).engine!.explainOutbox())[0]?.state).toBe('stuck: access');
		expect(net.relay.stats.refused).toBe(0);
	});

	it('skips and counts a value another device wrote that does not validate', async () => {
		const member = await enrol(a1, '13800000007');
		await waitFor(async () => (await dev(b1).db.members.get(member.id)) !== undefined);
		const handle = [...dev(a1).engine!.openDocs.values()].find((h) => h.map.has(`members/${member.id}`))!;
		// A buggy peer: a profile whose phone is not a phone.
		handle.doc.transact(() =>
			handle.map.set(`members/${member.id}`, {
				...member,
				phone: 'not a phone',
				updatedAt: Date.now() + 1000,
				schemaVersion: 1,
				writtenBy: 'dev-bad'
			})
		);
		await waitFor(() => (dev(b1).engine!.status.skipped.invalid ?? 0) > 0);
		expect((await dev(b1).db.members.get(member.id))?.phone).toBe('13800000007');
	});

	it('re-reads a document in full when the tables may lack what it holds (the checkpoint does not match)', async () => {
		const member = await enrol(a1, '13800000008');
		await waitFor(async () => (await dev(b1).db.members.get(member.id)) !== undefined);
		await dev(b1).stop();
		// As if B crashed after storing the update but before writing the row.
		await dev(b1).db.members.delete(member.id);
		await dev(b1).db.meta.where('key').startsWith('sync.checkpoint:').delete();
		await dev(b1).start();
		await waitFor(async () => (await dev(b1).db.members.get(member.id)) !== undefined);
	});

	it('brings a local edit that lost (same millisecond, lower device id) back in line with the document', async () => {
		const member = await enrol(a1, '13800000009');
		await waitFor(async () => (await dev(b1).db.members.get(member.id)) !== undefined);
		const at = Date.now() + 60_000;
		const edit = async (i: number, notes: string) => {
			const d = dev(i);
			await d.db.transaction('rw', d.db.members, d.db.outbox, async () => {
				await d.db.members.put({ ...member, notes, updatedAt: at });
				await d.db.outbox.add({ id: newId(), table: 'members', recordId: member.id, createdAt: at });
			});
			d.notify();
		};
		await edit(b1, 'from b1');
		await waitFor(async () => (await dev(a1).db.members.get(member.id))?.notes === 'from b1');
		await edit(a1, 'from a1'); // same updatedAt, and 'dev-a1' < 'dev-b1': the document keeps b1's
		await waitFor(outboxEmpty(a1));
		await waitFor(async () => (await dev(a1).db.members.get(member.id))?.notes === 'from b1');
		await waitFor(async () => (await dev(a2).db.members.get(member.id))?.notes === 'from b1');
	});
});
