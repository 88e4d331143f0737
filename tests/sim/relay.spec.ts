import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { stateVectorOf, queryMessage } from '../../src/lib/sync/ack';
import type { DeviceClaims } from '../../src/lib/sync/protocol';
import { RelayStore, SimRelay, simToken, type RelayPeer } from './relay';

const LEDGER = 'c/ledger/3/202603';
const claims = (role: DeviceClaims['role'] = 'cashier'): DeviceClaims => ({
	chain: 'c',
	branch: 'br-01',
	device: 'd1',
	role
});

function peer() {
	const sent: Uint8Array[] = [];
	const closed: number[] = [];
	const p: RelayPeer = { send: (d) => sent.push(d), close: (code) => closed.push(code) };
	return { p, sent, closed };
}

const update = (u: Uint8Array) => {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 0);
	encoding.writeVarUint(e, 2);
	encoding.writeVarUint8Array(e, u);
	return encoding.toUint8Array(e);
};

const entry = (id: string, amount = 10, deviceId = 'd1') => ({
	id,
	memberId: 'm',
	amount,
	deviceId,
	schemaVersion: 1,
	writtenBy: deviceId
});

let clients = 0;
function till(relay: SimRelay, name = LEDGER, role: DeviceClaims['role'] = 'cashier') {
	const doc = new Y.Doc();
	// Ascending client ids: of two concurrent writes to one key, Yjs keeps the higher client's.
	doc.clientID = ++clients;
	const conn = peer();
	relay.connect(conn.p, name, simToken(claims(role)));
	const send = (fn: () => void) => {
		const before = Y.encodeStateVector(doc);
		fn();
		relay.receive(conn.p, name, update(Y.encodeStateAsUpdate(doc, before)));
	};
	return { doc, conn, send, map: doc.getMap(name.includes('/ledger/') ? 'entries' : 'records') };
}

describe('in-process relay', () => {
	it('opens with its state vector and answers the state-vector query', () => {
		const relay = new SimRelay();
		const t = till(relay);
		expect(stateVectorOf(t.conn.sent[0]!)).toEqual(new Map());
		t.send(() => t.map.set('e1', entry('e1')));
		relay.receive(t.conn.p, LEDGER, queryMessage());
		expect(stateVectorOf(t.conn.sent.at(-1)!)).toEqual(new Map([[t.doc.clientID, 1]]));
	});

	it('keeps ledgers append-only: refuses a rewrite and a deletion, accepts the same entry again', () => {
		const relay = new SimRelay();
		const a = till(relay);
		a.send(() => a.map.set('e1', entry('e1')));
		a.send(() => a.map.set('e1', entry('e1', 99)));
		a.send(() => a.map.delete('e1'));
		expect(relay.stats.refused).toBe(2);
		const b = till(relay);
		b.send(() => b.map.set('e1', entry('e1'))); // a till that lost its copy writes the identical entry again
		expect(relay.stats.refused).toBe(2);
		expect(relay.doc(LEDGER)?.getMap('entries').get('e1')).toEqual(entry('e1'));
	});

	it('accepts a behaviour award written by two tills, refuses another amount under that id', () => {
		const relay = new SimRelay();
		const a = till(relay);
		const b = till(relay);
		a.send(() => a.map.set('bday:m:2026', { ...entry('bday:m:2026', 100), account: 'points', kind: 'earn' }));
		b.send(() =>
			b.map.set('bday:m:2026', { ...entry('bday:m:2026', 100, 'd2'), account: 'points', kind: 'earn' })
		);
		expect(relay.stats.refused).toBe(0);
		const c = till(relay); // the highest client: its write would win, so the rule must refuse it
		c.send(() =>
			c.map.set('bday:m:2026', { ...entry('bday:m:2026', 500, 'd3'), account: 'points', kind: 'earn' })
		);
		expect(relay.stats.refused).toBe(1);
	});

	it('refuses writes on a read-only document and sockets outside the token scope', () => {
		const relay = new SimRelay();
		const cashier = till(relay, 'c/catalog/2');
		cashier.send(() => cashier.map.set('styles/s1', { id: 's1' }));
		expect(relay.stats.refused).toBe(1);
		const other = peer();
		expect(relay.connect(other.p, 'c/branch/br-09/202603/0', simToken(claims()))).toBe(false);
		expect(other.closed).toEqual([4403]);
	});

	it('keeps what it stored across a restart and closes every socket', () => {
		const store = new RelayStore();
		const relay = new SimRelay(store);
		const t = till(relay);
		t.send(() => t.map.set('e1', entry('e1')));
		relay.restart();
		expect(t.conn.closed).toEqual([1001]);
		const again = till(relay);
		expect(stateVectorOf(again.conn.sent[0]!)).toEqual(new Map([[t.doc.clientID, 1]]));
	});
});
