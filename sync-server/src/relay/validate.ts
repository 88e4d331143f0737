/**
 * Update validation: decides, before the relay stores or applies anything, whether a client's Yjs update is
 * acceptable for a document. The update is decoded (cost ~ its own size) and each new struct is placed with
 * look-ups into the room's current doc (binary searches), so a small update against a large document stays
 * cheap; no scratch copy of the document is built.
 *
 * Rules (docs/decisions/0009-relay-auth-and-validation.md):
 * - every document keeps one root Y.Map (see ROOT_MAPS); new items must be entries of that map (a key, a
 *   plain value): no other roots, no list-style children, no nested shared types, no rich-text content;
 * - "no deletion of the root map": an update may not remove every record of a map holding two or more;
 * - ledger documents are append-only: no existing entry is deleted or rewritten, and every new entry value
 *   is a plain object with `id === key` and a positive safe-integer `amount`. The one exception is the rule
 *   every peer applies (protocol.ts ledgerChangeAllowed): a key may be set again to an equal value — a till
 *   resending an entry, or a deterministic behaviour award written by two offline tills — and the copy it
 *   replaces may be deleted by that same update. Refusing those would cut such a till off for good.
 * An update that refers to structs the relay does not have (a gap, an unknown origin, a delete of unknown
 * clocks) cannot be judged yet: it is refused as "missing dependencies" and the client resends its full diff
 * after reconnecting.
 */
import * as Y from 'yjs';
import { ledgerChangeAllowed, type DocKind } from '../protocol.js';

/**
 * The root map of each document kind, as protocol.ts's header describes the layout
 * ('records' for config, catalog, members and branch documents; 'entries' for ledgers).
 */
export const ROOT_MAPS: Readonly<Record<DocKind, string>> = {
	config: 'records',
	catalog: 'records',
	members: 'records',
	branch: 'records',
	ledger: 'entries'
};

export type Verdict =
	| { ok: true; /** nothing new: every struct and deletion is already in the doc */ noop: boolean }
	| { ok: false; problem: 'invalid' | 'missing-dependencies'; reason: string };

class Refusal extends Error {
	override name = 'Refusal';
	constructor(
		readonly problem: 'invalid' | 'missing-dependencies',
		reason: string
	) {
		super(reason);
	}
}

const invalid = (reason: string) => new Refusal('invalid', reason);
const missing = (reason: string) => new Refusal('missing-dependencies', reason);

type Struct = Y.Item | Y.GC | Y.Skip;
type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds'];

/** Where a new item lands: a key of a root map, or nowhere (Yjs turns it into garbage). */
type Placement = { gone: true } | { gone: false; root: string; key: string | null; anchoredInDoc: boolean };

const PLAIN_CONTENT = [Y.ContentAny, Y.ContentBinary, Y.ContentJSON, Y.ContentDeleted];

function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const proto = Object.getPrototypeOf(value) as unknown;
	return proto === Object.prototype || proto === null;
}

function checkLedgerValue(key: string, content: Y.Item['content']): void {
	if (!(content instanceof Y.ContentAny) || content.arr.length !== 1) {
		throw invalid(`ledger entry "${key}" must be one JSON object`);
	}
	const value: unknown = content.arr[0];
	if (!isPlainObject(value)) throw invalid(`ledger entry "${key}" must be a plain object`);
	if (value.id !== key) throw invalid(`ledger entry "${key}" has id ${JSON.stringify(value.id)}`);
	const amount = value.amount;
	if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) {
		throw invalid(`ledger entry "${key}" needs a positive integer amount, got ${JSON.stringify(amount)}`);
	}
}

/** Judges `update` against `doc` without changing either. */
export function checkUpdate(doc: Y.Doc, kind: DocKind, update: Uint8Array): Verdict {
	let decoded: { structs: Struct[]; ds: DeleteSet };
	try {
		decoded = Y.decodeUpdate(update) as { structs: Struct[]; ds: DeleteSet };
	} catch {
		return { ok: false, problem: 'invalid', reason: 'malformed update' };
	}
	try {
		return new Inspection(doc, kind, decoded.structs, decoded.ds).run();
	} catch (err) {
		if (err instanceof Refusal) return { ok: false, problem: err.problem, reason: err.message };
		// Yjs decoders throw plain errors on truncated or nonsensical input.
		return { ok: false, problem: 'invalid', reason: `unreadable update (${(err as Error).message})` };
	}
}

class Inspection {
	readonly #doc: Y.Doc;
	readonly #root: string;
	readonly #ledger: boolean;
	readonly #structs: Struct[];
	readonly #ds: DeleteSet;
	/** new structs per client, in clock order */
	readonly #fresh = new Map<number, Array<Y.Item | Y.GC>>();
	readonly #placements = new Map<Y.Item, Placement>();
	readonly #rootNames = new Map<unknown, string>();
	/** ledger keys this update sets again to an allowed (equal) value: their old copy may be deleted */
	readonly #resetKeys = new Set<string>();

	constructor(doc: Y.Doc, kind: DocKind, structs: Struct[], ds: DeleteSet) {
		this.#doc = doc;
		this.#root = ROOT_MAPS[kind];
		this.#ledger = kind === 'ledger';
		this.#structs = structs;
		this.#ds = ds;
		for (const [name, type] of doc.share) this.#rootNames.set(type, name);
	}

	#state(client: number): number {
		return Y.getState(this.#doc.store, client);
	}

	run(): Verdict {
		this.#collectFresh();
		const survivors = new Map<string, number>();
		const written = new Set<string>();
		for (const list of this.#fresh.values()) {
			for (const struct of list) {
				if (struct instanceof Y.Item) this.#checkItem(struct, survivors, written);
			}
		}
		const { liveDeletes, removedKeys } = this.#checkDeletions();
		if (!this.#ledger) this.#checkNotCleared(removedKeys, written);
		return { ok: true, noop: this.#fresh.size === 0 && liveDeletes === 0 };
	}

	/** Keeps the structs the doc does not have yet; refuses gaps (Yjs would park them as pending). */
	#collectFresh(): void {
		const next = new Map<number, number>();
		for (const struct of this.#structs) {
			const { client, clock } = struct.id;
			const have = this.#state(client);
			if (clock + struct.length <= have || struct instanceof Y.Skip) continue;
			const expected = next.get(client) ?? have;
			if (clock > expected)
				throw missing(`update skips clocks ${expected}..${clock - 1} of client ${client}`);
			next.set(client, Math.max(expected, clock + struct.length));
			let list = this.#fresh.get(client);
			if (!list) this.#fresh.set(client, (list = []));
			list.push(struct);
		}
	}

	/** The new struct of this update that contains `id`, if any. */
	#findFresh(id: Y.ID): Y.Item | Y.GC | undefined {
		const list = this.#fresh.get(id.client);
		if (!list) return undefined;
		let lo = 0;
		let hi = list.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const struct = list[mid] as Y.Item | Y.GC;
			if (id.clock < struct.id.clock) hi = mid - 1;
			else if (id.clock >= struct.id.clock + struct.length) lo = mid + 1;
			else return struct;
		}
		return undefined;
	}

	/** Where an item of the doc lives. */
	#placeDocItem(id: Y.ID): Placement {
		const struct = Y.getItem(this.#doc.store, id) as Y.Item | Y.GC;
		if (!(struct instanceof Y.Item) || !(struct.parent instanceof Y.AbstractType)) return { gone: true };
		if (struct.parent._item !== null) throw invalid('update edits inside a nested shared type');
		const root = this.#rootNames.get(struct.parent) ?? '(unnamed root)';
		return { gone: false, root, key: struct.parentSub, anchoredInDoc: true };
	}

	/**
	 * Resolves an item's parent and key. Yjs only encodes them when an item has no origin; otherwise they are
	 * inherited from the origin, which may be another new item (a chain of rewrites) or an item of the doc.
	 * Iterative, because a till that rewrote one key offline many times produces a long chain.
	 */
	#place(item: Y.Item): Placement {
		const chain: Y.Item[] = [];
		let current: Y.Item = item;
		let resolved: Placement | undefined;
		for (;;) {
			const known = this.#placements.get(current);
			if (known) {
				resolved = known;
				break;
			}
			chain.push(current);
			const parent = current.parent as unknown;
			if (typeof parent === 'string') {
				resolved = { gone: false, root: parent, key: current.parentSub, anchoredInDoc: false };
				break;
			}
			if (parent !== null) throw invalid('update writes into a nested shared type');
			const origin = current.origin ?? current.rightOrigin;
			if (!origin) throw invalid('update has an item without parent or origin');
			const fresh = this.#findFresh(origin);
			if (fresh instanceof Y.Item) {
				if (chain.length > this.#structs.length) throw invalid('update has an origin cycle');
				current = fresh;
				continue;
			}
			if (fresh) resolved = { gone: true };
			else if (origin.clock < this.#state(origin.client)) resolved = this.#placeDocItem(origin);
			else throw missing(`update refers to ${origin.client}:${origin.clock}, which the relay does not have`);
			break;
		}
		for (const link of chain) this.#placements.set(link, resolved);
		return resolved;
	}

	#checkItem(item: Y.Item, survivors: Map<string, number>, written: Set<string>): void {
		const place = this.#place(item);
		if (place.gone) return;
		if (place.root !== this.#root) {
			throw invalid(
				`update writes to root "${place.root}"; this document only has the Y.Map "${this.#root}"`
			);
		}
		if (place.key === null) throw invalid(`update uses "${this.#root}" as a list; it must stay a Y.Map`);
		const key = place.key;
		if (!PLAIN_CONTENT.some((type) => item.content instanceof type)) {
			throw invalid(`value of "${key}" is a ${item.content.constructor.name}; values must be plain JSON`);
		}
		const deleted = item.content instanceof Y.ContentDeleted || Y.isDeleted(this.#ds, item.id);
		if (this.#ledger) {
			const current = this.#currentValue(key);
			const rewrite = place.anchoredInDoc || (item.origin === null && current.has);
			// A copy superseded within the update is never visible: the surviving value is what is judged, and a
			// key left with no survivor is a deletion, which #checkDeletions refuses.
			if (deleted) return;
			const count = (survivors.get(key) ?? 0) + 1;
			if (count > 1) throw invalid(`update writes ledger entry "${key}" twice`);
			survivors.set(key, count);
			checkLedgerValue(key, item.content);
			if (rewrite) {
				const value = (item.content as Y.ContentAny).arr[0];
				if (!current.has || !ledgerChangeAllowed(key, current.value, value))
					throw invalid(`update rewrites ledger entry "${key}" (ledgers are append-only)`);
				this.#resetKeys.add(key);
			}
		} else if (!deleted) {
			written.add(key);
		}
	}

	/**
	 * Walks the delete set. Deletions of items the doc already deleted are normal (a sync step 2 carries the
	 * client's whole delete set); deletions of this update's own new items are rewrites within the update.
	 */
	#checkDeletions(): { liveDeletes: number; removedKeys: Set<string> } {
		const store = this.#doc.store;
		const removedKeys = new Set<string>();
		let liveDeletes = 0;
		for (const [client, ranges] of this.#ds.clients) {
			const have = this.#state(client);
			const structs = store.clients.get(client);
			for (const { clock, len } of ranges) {
				const end = clock + len;
				let cursor = clock;
				while (cursor < end) {
					if (cursor < have && structs) {
						let index = Y.findIndexSS(structs, cursor);
						while (cursor < end && index < structs.length) {
							const struct = structs[index++] as Y.Item | Y.GC;
							if (!struct.deleted) {
								liveDeletes++;
								const key = this.#currentKeyOf(struct);
								if (this.#ledger && (key === null || !this.#resetKeys.has(key)))
									throw invalid('update deletes ledger entries (ledgers are append-only)');
								if (key !== null) removedKeys.add(key);
							}
							cursor = struct.id.clock + struct.length;
						}
						continue;
					}
					const fresh = this.#findFresh({ client, clock: cursor } as Y.ID);
					if (!fresh) throw missing(`update deletes ${client}:${cursor}, which the relay does not have`);
					cursor = fresh.id.clock + fresh.length;
				}
			}
		}
		return { liveDeletes, removedKeys };
	}

	/**
	 * A key's live value in the root map, read from the map's internals: getMap() would turn the root's placeholder
	 * type into a new Y.Map and the items' parents would no longer match #rootNames.
	 */
	#currentValue(key: string): { has: boolean; value: unknown } {
		const item = this.#doc.share.get(this.#root)?._map.get(key);
		if (!item || item.deleted) return { has: false, value: undefined };
		const content = item.content.getContent();
		return { has: true, value: content[content.length - 1] };
	}

	/** The key whose current value `struct` is, in this document's root map. */
	#currentKeyOf(struct: Y.Item | Y.GC): string | null {
		if (!(struct instanceof Y.Item) || struct.parentSub === null) return null;
		const map = this.#doc.share.get(this.#root);
		if (!map || struct.parent !== map) return null;
		return map._map.get(struct.parentSub) === struct ? struct.parentSub : null;
	}

	#checkNotCleared(removedKeys: Set<string>, written: Set<string>): void {
		let removed = 0;
		for (const key of removedKeys) if (!written.has(key)) removed++;
		if (removed < 2) return;
		const size = this.#doc.getMap(this.#root).size;
		if (removed >= size) throw invalid(`update deletes every record of "${this.#root}"`);
	}
}
