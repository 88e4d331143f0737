import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate, type Verdict } from './validate.js';

/** A relay doc and a till doc that starts from the relay's state; `change` returns the till's update. */
function scenario(seed?: (doc: Y.Doc) => void) {
	const relay = new Y.Doc();
	if (seed) {
		const origin = new Y.Doc();
		seed(origin);
		Y.applyUpdate(relay, Y.encodeStateAsUpdate(origin));
	}
	const till = new Y.Doc();
	Y.applyUpdate(till, Y.encodeStateAsUpdate(relay));
	return {
		relay,
		till,
		change(fn: (doc: Y.Doc) => void): Uint8Array {
			const before = Y.encodeStateVector(till);
			till.transact(() => fn(till));
			return Y.encodeStateAsUpdate(till, before);
		}
	};
}

const entry = (id: string, amount: number, extra: Record<string, unknown> = {}) => ({ id, amount, ...extra });
const rejected = (verdict: Verdict) => (verdict.ok ? 'accepted' : `${verdict.problem}: ${verdict.reason}`);

describe('ledger documents (append-only)', () => {
	const seeded = () =>
		scenario((doc) => {
			doc.getMap('entries').set('e1', entry('e1', 100));
			doc.getMap('entries').set('e2', entry('e2', 50));
			doc.getMap('entries').set('enrolment:m1', entry('enrolment:m1', 50, { memberId: 'm1' }));
		});

	it('accepts new entries', () => {
		const s = seeded();
		const update = s.change((doc) => doc.getMap('entries').set('e3', entry('e3', 7, { kind: 'earn' })));
		expect(checkUpdate(s.relay, 'ledger', update)).toEqual({ ok: true, noop: false });
	});

	it('accepts a batch of new entries and a rewrite of a new entry within the same update', () => {
		const s = seeded();
		const update = s.change((doc) => {
			const entries = doc.getMap('entries');
			for (let i = 0; i < 50; i++) entries.set(`n${i}`, entry(`n${i}`, i + 1));
			entries.set('n0', entry('n0', 99));
		});
		expect(checkUpdate(s.relay, 'ledger', update)).toEqual({ ok: true, noop: false });
	});

	it('accepts an offline backlog with many rewrites of one new key (long origin chain)', () => {
		const s = seeded();
		const update = s.change((doc) => {
			for (let i = 1; i <= 3000; i++) doc.getMap('entries').set('x', entry('x', i));
		});
		expect(checkUpdate(s.relay, 'ledger', update)).toEqual({ ok: true, noop: false });
	});

	it.each([
		['deleting an entry', (doc: Y.Doc) => doc.getMap('entries').delete('e1'), /deletes ledger entries/],
		[
			'rewriting an entry',
			(doc: Y.Doc) => doc.getMap('entries').set('e1', entry('e1', 1)),
			/rewrites ledger entry "e1"/
		],
		[
			'a resend of one entry with a rewrite of another',
			(doc: Y.Doc) => {
				doc.getMap('entries').set('e2', entry('e2', 50));
				doc.getMap('entries').set('e1', entry('e1', 7));
			},
			/rewrites ledger entry/
		],
		[
			'a behaviour award written again with another amount',
			(doc: Y.Doc) =>
				doc.getMap('entries').set('enrolment:m1', entry('enrolment:m1', 99, { memberId: 'm1' })),
			/rewrites ledger entry "enrolment:m1"/
		],
		['clearing the map', (doc: Y.Doc) => doc.getMap('entries').clear(), /deletes ledger entries/],
		[
			'a zero amount',
			(doc: Y.Doc) => doc.getMap('entries').set('e9', entry('e9', 0)),
			/positive integer amount/
		],
		[
			'a negative amount',
			(doc: Y.Doc) => doc.getMap('entries').set('e9', entry('e9', -5)),
			/positive integer/
		],
		[
			'a fractional amount',
			(doc: Y.Doc) => doc.getMap('entries').set('e9', entry('e9', 1.5)),
			/positive integer/
		],
		[
			'a string amount',
			(doc: Y.Doc) => doc.getMap('entries').set('e9', { id: 'e9', amount: '5' }),
			/positive integer/
		],
		[
			'an id that differs from the key',
			(doc: Y.Doc) => doc.getMap('entries').set('e9', entry('e8', 5)),
			/has id "e8"/
		],
		['an array value', (doc: Y.Doc) => doc.getMap('entries').set('e9', [1, 2]), /plain object/],
		['a string value', (doc: Y.Doc) => doc.getMap('entries').set('e9', 'e9'), /plain object/],
		[
			'a binary value',
			(doc: Y.Doc) => doc.getMap('entries').set('e9', new Uint8Array([1])),
			/one JSON object/
		],
		['a nested Y.Map value', (doc: Y.Doc) => doc.getMap('entries').set('e9', new Y.Map()), /ContentType/],
		['another root', (doc: Y.Doc) => doc.getMap('records').set('r', entry('r', 1)), /root "records"/]
	])('rejects %s', (_name, fn, reason) => {
		const s = seeded();
		const before = Y.encodeStateAsUpdate(s.relay);
		const verdict = checkUpdate(s.relay, 'ledger', s.change(fn));
		expect(rejected(verdict)).toMatch(reason);
		expect(verdict.ok || verdict.problem).toBe('invalid');
		expect(Y.encodeStateAsUpdate(s.relay)).toEqual(before); // judging changes nothing
	});

	it('accepts setting an entry again to an equal value (a till resending it), old copy deleted', () => {
		const s = seeded();
		const update = s.change((doc) => doc.getMap('entries').set('e2', entry('e2', 50)));
		expect(checkUpdate(s.relay, 'ledger', update)).toEqual({ ok: true, noop: false });
	});

	it('accepts the same behaviour award written by two offline tills (stamps differ, substance equal)', () => {
		const award = (device: string) => ({
			id: 'enrolment:m1',
			memberId: 'm1',
			account: 'points',
			kind: 'enrolment',
			amount: 50,
			device,
			at: device === 'a' ? 1 : 2
		});
		const s = scenario((doc) => doc.getMap('entries').set('enrolment:m1', award('a')));
		const other = new Y.Doc(); // never saw till a's copy
		other.getMap('entries').set('enrolment:m1', award('b'));
		expect(checkUpdate(s.relay, 'ledger', Y.encodeStateAsUpdate(other))).toEqual({ ok: true, noop: false });
		const resetByTill = s.change((doc) => doc.getMap('entries').set('enrolment:m1', award('b')));
		expect(checkUpdate(s.relay, 'ledger', resetByTill)).toEqual({ ok: true, noop: false });
	});

	it('rejects a concurrent entry with an existing id from another till', () => {
		const s = seeded();
		const other = new Y.Doc(); // never saw e1
		other.getMap('entries').set('e1', entry('e1', 999_999));
		expect(rejected(checkUpdate(s.relay, 'ledger', Y.encodeStateAsUpdate(other)))).toMatch(
			/rewrites ledger entry "e1"/
		);
	});

	it('rejects using the root map as a list', () => {
		const s = seeded();
		const rogue = new Y.Doc();
		rogue.getArray('entries').push([entry('z', 1)]);
		expect(rejected(checkUpdate(s.relay, 'ledger', Y.encodeStateAsUpdate(rogue)))).toMatch(/as a list/);
	});

	it('treats a resent update and a full sync step 2 of known state as a no-op', () => {
		const s = seeded();
		const update = s.change((doc) => doc.getMap('entries').set('e3', entry('e3', 3)));
		Y.applyUpdate(s.relay, update);
		expect(checkUpdate(s.relay, 'ledger', update)).toEqual({ ok: true, noop: true });
		expect(checkUpdate(s.relay, 'ledger', Y.encodeStateAsUpdate(s.till))).toEqual({ ok: true, noop: true });
		expect(
			checkUpdate(s.relay, 'ledger', Y.encodeStateAsUpdate(s.till, Y.encodeStateVector(s.relay)))
		).toEqual({
			ok: true,
			noop: true
		});
	});

	it('asks for a resync when an update depends on structs the relay lacks', () => {
		const s = seeded();
		s.change((doc) => doc.getMap('entries').set('e3', entry('e3', 3))); // never delivered
		const second = s.change((doc) => doc.getMap('entries').set('e4', entry('e4', 4)));
		const verdict = checkUpdate(s.relay, 'ledger', second);
		expect(verdict).toMatchObject({ ok: false, problem: 'missing-dependencies' });
	});

	it('rejects garbage', () => {
		const s = seeded();
		expect(checkUpdate(s.relay, 'ledger', new Uint8Array([1, 2, 3, 250, 250, 250]))).toMatchObject({
			ok: false,
			problem: 'invalid'
		});
	});
});

describe('record documents (config, catalog, members, branch)', () => {
	const seeded = (n = 3) =>
		scenario((doc) => {
			for (let i = 0; i < n; i++)
				doc.getMap('records').set(`members/m${i}`, { id: `m${i}`, name: `会员${i}` });
		});

	it('accepts new records, last-writer-wins rewrites and single deletions', () => {
		const s = seeded();
		const update = s.change((doc) => {
			const records = doc.getMap('records');
			records.set('members/m9', { id: 'm9' });
			records.set('members/m0', { id: 'm0', name: '改名' });
			records.delete('members/m1');
		});
		expect(checkUpdate(s.relay, 'members', update)).toEqual({ ok: true, noop: false });
	});

	it('accepts binary values', () => {
		const s = seeded();
		const update = s.change((doc) => doc.getMap('records').set('blobs/logo', new Uint8Array([1, 2, 3])));
		expect(checkUpdate(s.relay, 'config', update)).toEqual({ ok: true, noop: false });
	});

	it('rejects deleting every record (the root map)', () => {
		const s = seeded();
		expect(
			rejected(
				checkUpdate(
					s.relay,
					'catalog',
					s.change((doc) => doc.getMap('records').clear())
				)
			)
		).toMatch(/deletes every record of "records"/);
	});

	it('accepts emptying a map that held a single record', () => {
		const s = seeded(1);
		expect(
			checkUpdate(
				s.relay,
				'branch',
				s.change((doc) => doc.getMap('records').clear())
			)
		).toEqual({ ok: true, noop: false });
	});

	it('accepts replacing every record in one update', () => {
		const s = seeded();
		const update = s.change((doc) => {
			for (let i = 0; i < 3; i++) doc.getMap('records').set(`members/m${i}`, { id: `m${i}`, v: 2 });
		});
		expect(checkUpdate(s.relay, 'members', update)).toEqual({ ok: true, noop: false });
	});

	it.each([
		['a nested Y.Map per record', (doc: Y.Doc) => doc.getMap('records').set('x', new Y.Map()), /ContentType/],
		['a Y.Text', (doc: Y.Doc) => doc.getText('notes').insert(0, 'hi'), /root "notes"/],
		['another root map', (doc: Y.Doc) => doc.getMap('entries').set('x', 1), /root "entries"/]
	])('rejects %s', (_name, fn, reason) => {
		const s = seeded();
		expect(rejected(checkUpdate(s.relay, 'config', s.change(fn)))).toMatch(reason);
	});
});

describe('cost on a 1 MB ledger document', () => {
	it('validates a small update in well under a millisecond and a 1 MB first sync in tens of ms', () => {
		const origin = new Y.Doc();
		origin.transact(() => {
			const entries = origin.getMap('entries');
			for (let i = 0; i < 8000; i++) {
				const id = `01J${String(i).padStart(10, '0')}-dev-B01-T1`;
				entries.set(id, {
					id,
					memberId: `m${i % 900}`,
					kind: 'earn',
					amount: 1 + (i % 500),
					deviceId: 'dev-B01-T1',
					seq: i,
					createdAt: 1793462400000 + i,
					refs: [`sale-${i}`]
				});
			}
		});
		const full = Y.encodeStateAsUpdate(origin);
		expect(full.length).toBeGreaterThan(1_000_000);

		const relay = new Y.Doc();
		let t = performance.now();
		const firstSync = checkUpdate(relay, 'ledger', full);
		const firstSyncMs = performance.now() - t;
		expect(firstSync).toEqual({ ok: true, noop: false });
		Y.applyUpdate(relay, full);

		const till = new Y.Doc();
		Y.applyUpdate(till, full);
		const updates: Uint8Array[] = [];
		till.on('update', (u: Uint8Array) => updates.push(u));
		for (let i = 0; i < 200; i++) till.getMap('entries').set(`new-${i}`, { id: `new-${i}`, amount: 5 });

		t = performance.now();
		for (const update of updates) {
			const verdict = checkUpdate(relay, 'ledger', update);
			if (!verdict.ok) throw new Error('unexpected rejection');
			Y.applyUpdate(relay, update);
		}
		const perUpdateMs = (performance.now() - t) / updates.length;

		// A scratch copy (what the rules could also be checked on) costs a full encode + decode per update.
		t = performance.now();
		const scratch = new Y.Doc();
		Y.applyUpdate(scratch, Y.encodeStateAsUpdate(relay));
		const scratchMs = performance.now() - t;

		console.info(
			`[validate] 1 MB ledger (${(full.length / 1e6).toFixed(2)} MB): first sync ${firstSyncMs.toFixed(1)} ms, ` +
				`per small update ${perUpdateMs.toFixed(3)} ms (incl. apply), scratch copy ${scratchMs.toFixed(1)} ms`
		);
		expect(perUpdateMs).toBeLessThan(5);
		expect(firstSyncMs).toBeLessThan(1000);
	});
});
