/**
 * Tenders: how a sale is paid. Several per sale. Only cash may exceed what is due (the excess is change).
 * Stored value and points arrive with the members issue; their kinds are reserved here so the model fits.
 */
import { DomainError } from './errors';
import { add, fen, max, sub, toDecimalString, ZERO, type Fen } from './money';

export type TenderKind = 'cash' | 'wechat' | 'alipay' | 'unionpay' | 'storedValue' | 'points';

export interface Tender {
	id: string;
	kind: TenderKind;
	/** Amount applied to the sale (for cash: what was tendered, change is computed separately). */
	amount: Fen;
	/** Payment reference: the wallet's payment code / transaction id, the card slip's reference. */
	reference?: string;
	/** Points spent (points tender only). */
	points?: number;
}

/** Every tender kind, for validating data that arrives from storage or another branch. */
export const tenderKinds: readonly TenderKind[] = [
	'cash',
	'wechat',
	'alipay',
	'unionpay',
	'storedValue',
	'points'
];

/** Kinds that are only accepted with a payment reference (wallet transaction id, card slip number). */
const NEEDS_REFERENCE: ReadonlySet<TenderKind> = new Set<TenderKind>(['wechat', 'alipay', 'unionpay']);

/** Where a sale stands against its tenders. */
export interface Settlement {
	/** Sum of all tenders. */
	paid: Fen;
	/** Still to collect (0 once settled). */
	remaining: Fen;
	/** Cash to hand back (only ever from cash). */
	change: Fen;
	settled: boolean;
}

function assertPositive(kind: string, amount: number): void {
	if (!Number.isSafeInteger(amount) || amount <= 0)
		throw new DomainError('tender.badAmount', { kind, value: String(amount) });
}

/**
 * Checks one tender as received from the till or from storage: a known kind, a positive whole number of fen,
 * a reference for wallet and card payments, a positive whole number of points for a points tender.
 */
export function validateTender(tender: Tender): void {
	if (!tenderKinds.includes(tender.kind))
		throw new DomainError('tender.unknownKind', { kind: String(tender.kind) });
	assertPositive(tender.kind, tender.amount);
	if (NEEDS_REFERENCE.has(tender.kind) && !tender.reference?.trim())
		throw new DomainError('tender.missingReference', { kind: tender.kind });
	if (tender.kind === 'points' && (!Number.isSafeInteger(tender.points) || (tender.points ?? 0) <= 0))
		throw new DomainError('tender.badAmount', { kind: tender.kind, value: String(tender.points) });
}

/**
 * Settles `total` against tenders (in any order: the result does not depend on it). Non-cash tenders together may
 * not exceed the total (tender.overpaidNonCash): change is handed back in cash, so a wallet or card overpayment
 * would turn into a cash-out. Cash may exceed what remains; the excess is change. References are not checked here
 * (a wallet tender is entered before its reference arrives); validateTender does that before commit.
 */
export function settle(total: Fen, tenders: readonly Tender[]): Settlement {
	if (!Number.isSafeInteger(total) || total < 0)
		throw new DomainError('tender.badAmount', { kind: 'total', value: String(total) });
	let paid = ZERO;
	let nonCash = ZERO;
	for (const t of tenders) {
		if (!tenderKinds.includes(t.kind)) throw new DomainError('tender.unknownKind', { kind: String(t.kind) });
		assertPositive(t.kind, t.amount);
		paid = add(paid, t.amount);
		if (t.kind !== 'cash') nonCash = add(nonCash, t.amount);
	}
	if (nonCash > total) {
		throw new DomainError('tender.overpaidNonCash', {
			amount: toDecimalString(nonCash),
			total: toDecimalString(total)
		});
	}
	const remaining = max(ZERO, sub(total, paid));
	const change = max(ZERO, sub(paid, total));
	return { paid, remaining, change, settled: remaining === 0 };
}

/** Throws tender.notSettled unless the tenders cover the total; returns the settlement for the sale record. */
export function assertSettled(total: Fen, tenders: readonly Tender[]): Settlement {
	const s = settle(total, tenders);
	if (!s.settled) throw new DomainError('tender.notSettled', { remaining: toDecimalString(s.remaining) });
	for (const t of tenders) validateTender(t);
	return s;
}

// Banknotes a customer pays with; the till offers the next round amount for each (¥5 and ¥1 notes are left out:
// "next ¥5" options crowd out ¥100 on small sales, and coins are rare since mobile pay).
const NOTES: readonly number[] = [1000, 2000, 5000, 10000];
const MAX_QUICK_OPTIONS = 5;

/**
 * Quick cash buttons for the amount due: the exact amount, then the next multiple of ¥10, ¥20, ¥50 and ¥100
 * (what a customer hands over), distinct and ascending, at most five. E.g. ¥37.50 -> 37.50, 40, 50, 100.
 * Nothing to collect (0) -> no options.
 */
export function quickCashOptions(due: Fen): Fen[] {
	if (!Number.isSafeInteger(due) || due < 0)
		throw new DomainError('tender.badAmount', { kind: 'cash', value: String(due) });
	if (due === 0) return [];
	const options = new Set<number>([due]);
	for (const note of NOTES) options.add(Math.ceil(due / note) * note);
	return [...options]
		.sort((a, b) => a - b)
		.slice(0, MAX_QUICK_OPTIONS)
		.map((n) => fen(n));
}
