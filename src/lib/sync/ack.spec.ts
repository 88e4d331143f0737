import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebsocketProvider } from 'y-websocket';
import { covers, currentItem, queryMessage, stateVectorOf, watchRelayStateVector } from './ack';
import { MESSAGE_QUERY_STATE_VECTOR } from './protocol';

const step = (type: number, payload: Uint8Array) => {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 0);
	encoding.writeVarUint(e, type);
	encoding.writeVarUint8Array(e, payload);
	return encoding.toUint8Array(e);
};

describe('acknowledgement by the relay state vector', () => {
	it('covers a row once the relay has the item that holds its key', () => {
		const till = new Y.Doc();
		const relay = new Y.Doc();
		const map = till.getMap('records');
		map.set('members/m1', { v: 1 });
		const item = currentItem(map, 'members/m1')!;
		expect(covers(Y.decodeStateVector(Y.encodeStateVector(relay)), item)).toBe(false);
		Y.applyUpdate(relay, Y.encodeStateAsUpdate(till));
		expect(covers(Y.decodeStateVector(Y.encodeStateVector(relay)), item)).toBe(true);
		expect(covers(null, item)).toBe(false);
	});

	it('follows the key: a later write needs its own acknowledgement', () => {
		const till = new Y.Doc();
		const map = till.getMap('records');
		map.set('k', 1);
		const relaySV = Y.decodeStateVector(Y.encodeStateVector(till));
		map.set('k', 2);
		expect(covers(relaySV, currentItem(map, 'k')!)).toBe(false);
		map.delete('k');
		expect(currentItem(map, 'k')).toBeUndefined();
	});

	it('never takes an update the relay only holds as pending for delivered (why step 2 replies are not used)', () => {
		const till = new Y.Doc();
		const map = till.getMap('entries');
		const updates: Uint8Array[] = [];
		till.on('update', (u: Uint8Array) => updates.push(u));
		map.set('e1', 1);
		map.set('e2', 2);
		const relay = new Y.Doc();
		Y.applyUpdate(relay, updates[1]!); // the first update was lost: the second waits as pending
		const item = currentItem(map, 'e2')!;
		expect(covers(Y.decodeStateVector(Y.encodeStateVector(relay)), item)).toBe(false);
		// A step 2 built from the relay would carry the pending struct and look like proof of delivery.
		const meta = Y.parseUpdateMeta(Y.encodeStateAsUpdate(relay, Y.encodeStateVector(new Y.Doc())));
		expect(meta.to.get(till.clientID)).toBeGreaterThan(item.clock);
	});
});

describe('messages', () => {
	it('reads the state vector of a sync step 1 and nothing else', () => {
		const doc = new Y.Doc();
		doc.getMap('m').set('a', 1);
		const sv = Y.encodeStateVector(doc);
		expect(stateVectorOf(step(0, sv))).toEqual(Y.decodeStateVector(sv));
		expect(stateVectorOf(step(1, Y.encodeStateAsUpdate(doc)))).toBeUndefined();
		expect(stateVectorOf(new Uint8Array([1, 0]))).toBeUndefined();
		expect(stateVectorOf(new Uint8Array([]))).toBeUndefined();
	});

	it('asks with one varuint', () => {
		expect(decoding.readVarUint(decoding.createDecoder(queryMessage()))).toBe(MESSAGE_QUERY_STATE_VECTOR);
	});

	it('peeks at step 1 messages and still lets the provider answer them', () => {
		const original = vi.fn();
		const provider = { messageHandlers: [original] } as unknown as WebsocketProvider;
		const seen = vi.fn();
		watchRelayStateVector(provider, seen);
		const doc = new Y.Doc();
		doc.getMap('m').set('a', 1);
		const message = step(0, Y.encodeStateVector(doc));
		const decoder = decoding.createDecoder(message);
		decoding.readVarUint(decoder); // the provider has read the message type before calling the handler
		provider.messageHandlers[0]!(encoding.createEncoder(), decoder, provider, true, 0);
		expect(seen).toHaveBeenCalledWith(new Map([[doc.clientID, 1]]));
		expect(original).toHaveBeenCalledOnce();
	});
});
