/**
 * The y-websocket wire protocol (what y-websocket's WebsocketProvider speaks), and the relay's close codes.
 * A message is a varuint type followed by its body: sync (step 1 = state vector, step 2 / update = a Yjs
 * update), awareness (an awareness update), query-awareness, auth (server to client only).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MESSAGE_QUERY_STATE_VECTOR } from '../protocol.js';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/**
 * Close codes. y-websocket (3.x) does not reconnect after 4400-4499 ("reconnecting cannot fix it") and
 * reconnects after anything else.
 */
export const CLOSE = {
	/** relay shutting down */
	goingAway: 1001,
	/** a read-only client kept sending updates */
	policy: 1008,
	/** storage failed; the update was not applied, the client will resend it */
	serverError: 1011,
	/** the token expired during the session; reconnect with a refreshed token (provider.params.token) */
	tokenExpired: 4001,
	/** a message that is not y-websocket protocol */
	badMessage: 4400,
	/** the device was revoked */
	revoked: 4401,
	/** an update broke a validation rule; nothing of it was applied */
	rejected: 4403,
	/** an update depends on data the relay lacks; reconnecting sends the full diff */
	resync: 4500
} as const;

export class MessageError extends Error {
	override name = 'MessageError';
}

export type Incoming =
	| { type: 'sync-step-1'; stateVector: Uint8Array }
	| { type: 'update'; update: Uint8Array }
	| { type: 'awareness'; update: Uint8Array }
	| { type: 'query-awareness' }
	/** Branchline's "send me your state vector" (protocol.ts): the acknowledgement a till's outbox waits for */
	| { type: 'query-state-vector' }
	| { type: 'ignored'; messageType: number };

export function decodeMessage(data: Uint8Array): Incoming {
	try {
		const decoder = decoding.createDecoder(data);
		const type = decoding.readVarUint(decoder);
		switch (type) {
			case MESSAGE_SYNC: {
				const step = decoding.readVarUint(decoder);
				const payload = decoding.readVarUint8Array(decoder);
				if (step === syncProtocol.messageYjsSyncStep1) return { type: 'sync-step-1', stateVector: payload };
				if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate) {
					return { type: 'update', update: payload };
				}
				throw new MessageError(`unknown sync message ${step}`);
			}
			case MESSAGE_AWARENESS:
				return { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
			case MESSAGE_QUERY_AWARENESS:
				return { type: 'query-awareness' };
			case MESSAGE_QUERY_STATE_VECTOR:
				return { type: 'query-state-vector' };
			default:
				return { type: 'ignored', messageType: type };
		}
	} catch (err) {
		if (err instanceof MessageError) throw err;
		throw new MessageError(`malformed message: ${(err as Error).message}`);
	}
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	syncProtocol.writeSyncStep1(encoder, doc);
	return encoding.toUint8Array(encoder);
}

export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	syncProtocol.writeSyncStep2(encoder, doc, stateVector);
	return encoding.toUint8Array(encoder);
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	syncProtocol.writeUpdate(encoder, update);
	return encoding.toUint8Array(encoder);
}

export function encodeAwareness(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
	return encoding.toUint8Array(encoder);
}
