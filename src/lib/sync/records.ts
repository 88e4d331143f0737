/**
 * The boundary between documents and tables (invariant 5): every value read from a document is normalised to the
 * envelope, migrated from older schema versions, validated with the schema/ validators (plus the domain's own
 * checks where it has them) and only then turned into a row. Local records are checked the same way before they
 * are written out, so a damaged local row cannot poison a shared document.
 */
import * as v from 'valibot';
import { entryProblem } from '$lib/domain/ledger/entries';
import { validateGiftMovement, type GiftStockMovement } from '$lib/domain/ledger/gifts';
import type { LedgerEntry } from '$lib/domain/ledger/types';
import { giftSchema, giftStockSchema, ledgerEntrySchema, planSchema } from '$lib/schema/membership';
import {
	branchSchema,
	categorySchema,
	levelSchema,
	promotionSchema,
	stockMovementSchema,
	styleSchema,
	variantSchema
} from '$lib/schema/records';
import {
	approvalSchema,
	memberMergeSchema,
	memberProfileSchema,
	profileChangeSchema,
	redemptionSchema,
	saleSchema,
	subscriptionSchema,
	topUpSchema
} from '$lib/schema/replicated';
import { SCHEMA_VERSION } from './protocol';
import type { SyncTable } from './layout';
import { toEnvelope, type Envelope } from './rules';

const SCHEMAS: Record<SyncTable, v.GenericSchema> = {
	styles: styleSchema,
	variants: variantSchema,
	members: memberProfileSchema,
	profileChanges: profileChangeSchema,
	subscriptions: subscriptionSchema,
	memberMerges: memberMergeSchema,
	ledger: ledgerEntrySchema,
	sales: saleSchema,
	stock: stockMovementSchema,
	approvals: approvalSchema,
	topUps: topUpSchema,
	redemptions: redemptionSchema,
	giftStock: giftStockSchema,
	branches: branchSchema,
	categories: categorySchema,
	levels: levelSchema,
	promotions: promotionSchema,
	plans: planSchema,
	gifts: giftSchema
};

/** The domain's checks beyond shape (kind/account/bucket combinations, signs), as a message or null. */
const DOMAIN_CHECKS: Partial<Record<SyncTable, (record: Record<string, unknown>) => string | null>> = {
	ledger: (r) => entryProblem(r as unknown as LedgerEntry)?.message ?? null,
	giftStock: (r) => {
		try {
			validateGiftMovement(r as unknown as GiftStockMovement);
			return null;
		} catch (error) {
			return error instanceof Error ? error.message : String(error);
		}
	}
};

/**
 * Upgrades of a record from schema version n to n + 1, by table (a table absent from a step is unchanged).
 * Version 0 is a bare record written before values had an envelope (early builds, imports): same shapes as 1.
 */
const MIGRATIONS: ReadonlyArray<
	Partial<Record<SyncTable, (r: Record<string, unknown>) => Record<string, unknown>>>
> = [{}];

/** Applies the migrations from the value's version up to ours; newer values are returned unchanged. */
export function migrate(table: SyncTable, value: Envelope): Envelope {
	let record = value.record;
	for (let version = Math.max(0, value.schemaVersion); version < SCHEMA_VERSION; version++)
		record = MIGRATIONS[version]?.[table]?.(record) ?? record;
	return { ...value, record };
}

export type ReadResult =
	| { ok: true; value: Envelope; row: Record<string, unknown>; newer: boolean }
	| { ok: false; reason: 'malformed' | 'invalid' | 'newer'; message: string };

// Drops the undefined members valibot adds for absent optional keys, so a row equals what was written.
const clean = (value: unknown): Record<string, unknown> =>
	JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

/**
 * Reads one document value of `table` stored under `id`. A value of a newer schema version is read as far as our
 * schema can (unknown fields kept); when it does not validate it is reported as 'newer', not 'invalid', and left
 * alone in the document.
 */
export function readValue(table: SyncTable, id: string, raw: unknown): ReadResult {
	const envelope = toEnvelope(raw);
	if (!envelope) return { ok: false, reason: 'malformed', message: `${table}/${id}: not a record` };
	const newer = envelope.schemaVersion > SCHEMA_VERSION;
	const value = migrate(table, envelope);
	const failed = (message: string): ReadResult => ({
		ok: false,
		reason: newer ? 'newer' : 'invalid',
		message: `${table}/${id}: ${message}`
	});
	const parsed = v.safeParse(SCHEMAS[table], value.record);
	if (!parsed.success) {
		const issue = parsed.issues[0];
		return failed(`${v.getDotPath(issue) ?? '(record)'}: ${issue.message}`);
	}
	const row = clean(parsed.output);
	if (row.id !== id) return failed(`id ${String(row.id)} under another key`);
	const problem = DOMAIN_CHECKS[table]?.(row) ?? null;
	if (problem) return failed(problem);
	if (table === 'members') row.phoneLast4 = String(row.phone).slice(-4);
	return { ok: true, value, row, newer };
}

/** Fields the tables derive locally and documents never carry. */
const DERIVED: Partial<Record<SyncTable, readonly string[]>> = { members: ['phoneLast4'] };

/** A local row as the record to replicate (derived fields removed). */
export function toRecord(table: SyncTable, row: object): Record<string, unknown> {
	const record = clean(row);
	for (const field of DERIVED[table] ?? []) delete record[field];
	return record;
}
