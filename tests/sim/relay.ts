/**
 * An in-process relay for tests and the simulation: y-websocket's wire protocol, one Y.Doc per room, access by
 * token claims (protocol.ts access()), the ledger documents' append-only rule (protocol.ts ledgerChangeAllowed),
 * MESSAGE_QUERY_STATE_VECTOR, and a persisted store that survives restarts. Every accepted update is stored before
 * it is applied or broadcast, so a state vector the relay reports is always on its "disk".
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
	access,
	ENTRIES_MAP,
	ledgerChangeAllowed,
	MESSAGE_QUERY_STATE_VECTOR,
	parseDocName,
	type DeviceClaims,
	type DocRef
} from '../../src/lib/sync/protocol';

const MESSAGE_SYNC = 0;
const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;

/** What survives a relay restart: the updates of every document, in order. */
export class RelayStore {
	readonly updates = new Map<string, Uint8Array[]>();
	append(name: string, update: Uint8Array): void {
		const list = this.updates.get(name);
		if (list) list.push(update);
		else this.updates.set(name, [update]);
	}
}

/** A connection as the relay sees it: send to the client, close it. */
export interface RelayPeer {
	send(data: Uint8Array): void;
	close(code: number, reason: string): void;
}

interface Room {
	ref: DocRef;
	doc: Y.Doc;
	/** Ledger documents: a twin the append-only rule is tried on first (rebuilt after a refusal). */
	shadow: Y.Doc | null;
	conns: Map<RelayPeer, 'read' | 'write'>;
}

/** Tokens in tests: `sim.<base64 JSON claims>` (the real relay verifies a JWT). */
export const simToken = (claims: DeviceClaims): string => `sim.${btoa(JSON.stringify(claims))}`;

function claimsOf(token: string | null): DeviceClaims | undefined {
	if (!token?.startsWith('sim.')) return undefined;
	try {
		return JSON.parse(atob(token.slice(4))) as DeviceClaims;
	} catch {
		return undefined;
	}
}

export class SimRelay {
	private rooms = new Map<string, Room>();
	readonly stats = { accepted: 0, refused: 0, queries: 0, restarts: 0 };
	readonly refusals: string[] = [];

	constructor(readonly store = new RelayStore()) {}

	/** A socket opened for `name` with `token`; returns false (after closing it) when refused. */
	connect(peer: RelayPeer, name: string, token: string | null): boolean {
		const claims = claimsOf(token);
		if (!claims) {
			peer.close(4401, 'bad token');
			return false;
		}
		const ref = parseDocName(name);
		const level = ref ? access(claims, ref) : 'none';
		if (!ref || level === 'none') {
			peer.close(4403, 'outside the token scope');
			return false;
		}
		const room = this.room(name, ref);
		room.conns.set(peer, level);
		// Like y-websocket's server: the relay's state vector first, so the client can send what it lacks.
		peer.send(syncMessage(STEP1, Y.encodeStateVector(room.doc)));
		return true;
	}

	disconnect(peer: RelayPeer, name: string): void {
		this.rooms.get(name)?.conns.delete(peer);
	}

	receive(peer: RelayPeer, name: string, data: Uint8Array): void {
		const room = this.rooms.get(name);
		if (!room?.conns.has(peer)) return;
		const decoder = decoding.createDecoder(data);
		const type = decoding.readVarUint(decoder);
		if (type === MESSAGE_QUERY_STATE_VECTOR) {
			this.stats.queries++;
			peer.send(syncMessage(STEP1, Y.encodeStateVector(room.doc)));
			return;
		}
		if (type !== MESSAGE_SYNC) return; // awareness and the rest: a till has no presence
		const step = decoding.readVarUint(decoder);
		const payload = decoding.readVarUint8Array(decoder);
		if (step === STEP1) {
			peer.send(syncMessage(STEP2, Y.encodeStateAsUpdate(room.doc, payload)));
			return;
		}
		if (step !== STEP2 && step !== UPDATE) return;
		if (room.conns.get(peer) !== 'write') {
			// A reader answers our step 1 with a step 2 too; only one that carries something new is refused.
			if (Y.decodeUpdate(Y.diffUpdate(payload, Y.encodeStateVector(room.doc))).structs.length)
				this.refuse(`${name}: an update from a read-only socket`);
			return;
		}
		const problem = this.allowed(room, payload);
		if (problem) {
			this.refuse(`${name}: ${problem}`);
			return;
		}
		this.stats.accepted++;
		Y.applyUpdate(room.doc, payload, peer);
	}

	/** Drops every connection and all in-memory state; documents come back from the store on demand. */
	restart(): void {
		this.stats.restarts++;
		const rooms = [...this.rooms.values()];
		this.rooms.clear();
		for (const room of rooms) {
			for (const peer of room.conns.keys()) peer.close(1001, 'relay restarting');
			room.doc.destroy();
			room.shadow?.destroy();
		}
	}

	/** The relay's copy of a document (tests compare devices against it). */
	doc(name: string): Y.Doc | undefined {
		return this.rooms.get(name)?.doc;
	}

	/** Every document the relay has stored, loaded. */
	allDocs(): Map<string, Y.Doc> {
		const docs = new Map<string, Y.Doc>();
		for (const name of this.store.updates.keys()) {
			const ref = parseDocName(name);
			if (ref) docs.set(name, this.room(name, ref).doc);
		}
		return docs;
	}

	private room(name: string, ref: DocRef): Room {
		let room = this.rooms.get(name);
		if (room) return room;
		const doc = new Y.Doc();
		for (const update of this.store.updates.get(name) ?? []) Y.applyUpdate(doc, update);
		// Persist before anything is broadcast or reported; then pass it on to the other sockets of the room.
		doc.on('update', (update: Uint8Array, origin: unknown) => {
			this.store.append(name, update);
			const message = syncMessage(UPDATE, update);
			for (const peer of room!.conns.keys()) if (peer !== origin) peer.send(message);
		});
		room = { ref, doc, shadow: null, conns: new Map() };
		if (ref.kind === 'ledger') room.shadow = twin(doc);
		this.rooms.set(name, room);
		return room;
	}

	private refuse(reason: string): void {
		this.stats.refused++;
		if (this.refusals.length < 20) this.refusals.push(reason);
	}

	/** The ledger rule, tried on the twin: no entry deleted, none changed (protocol.ts ledgerChangeAllowed). */
	private allowed(room: Room, update: Uint8Array): string | null {
		if (!room.shadow) return null;
		const entries = room.shadow.getMap(ENTRIES_MAP);
		let problem: string | null = null;
		const check = (event: Y.YMapEvent<unknown>) => {
			for (const [key, change] of event.changes.keys) {
				const after = entries.get(key);
				if (after instanceof Y.AbstractType || !ledgerChangeAllowed(key, change.oldValue, after))
					problem ??= `entry ${key} ${change.action}: ${JSON.stringify(change.oldValue)} -> ${JSON.stringify(after)}`;
			}
		};
		entries.observe(check);
		try {
			Y.applyUpdate(room.shadow, update);
		} catch (error) {
			problem = `unreadable update (${String(error)})`;
		}
		entries.unobserve(check);
		if (problem) {
			room.shadow.destroy();
			room.shadow = twin(room.doc);
		}
		return problem;
	}
}

function twin(doc: Y.Doc): Y.Doc {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
}

function syncMessage(step: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	encoding.writeVarUint(encoder, step);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}
