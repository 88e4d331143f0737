/**
 * Input checks for the pricing engine. The engine is called with data the caller resolved from IndexedDB and Yjs,
 * so it re-checks every number it relies on: a bad price or rule must stop the sale with a clear code, never
 * produce a silently wrong total.
 */
import { DomainError } from '../errors';
import { fen, toDecimalString } from '../money';
import type { PricingLine, Promotion, PromotionRule } from './types';

const MAX_BP = 10000;

function isNonNegativeInt(n: unknown): n is number {
	return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}
function isPositiveInt(n: unknown): n is number {
	return isNonNegativeInt(n) && n > 0;
}
function isBp(n: unknown): n is number {
	return isNonNegativeInt(n) && n <= MAX_BP;
}

/** Error params show money as yuan ("550.00") when it is whole fen, else as received, for the cashier message. */
export function yuanParam(value: unknown): string {
	return typeof value === 'number' && Number.isSafeInteger(value)
		? toDecimalString(fen(value))
		: String(value);
}
function bpParam(value: unknown): string {
	return typeof value === 'number' && Number.isFinite(value) ? `${value / 100}%` : String(value);
}

function badPrice(line: PricingLine, field: string, value: unknown): DomainError {
	return new DomainError('cart.badPrice', { lineId: line.lineId, field, value: yuanParam(value) });
}

/** Throws the first problem with a cart line (before prices depending on member level are chosen). */
export function validateLine(line: PricingLine): void {
	if (!isPositiveInt(line.qty)) {
		const max = Number.MAX_SAFE_INTEGER;
		throw new DomainError('cart.badQuantity', { lineId: line.lineId, value: String(line.qty), max });
	}
	if (!isNonNegativeInt(line.unitPrice)) throw badPrice(line, 'unitPrice', line.unitPrice);
	if (!Number.isSafeInteger(line.unitPrice * line.qty)) {
		throw new DomainError('money.overflow', { lineId: line.lineId, value: String(line.unitPrice) });
	}
	// All level prices are checked, not just the current member's: bad catalog data should surface at once.
	for (const [levelId, price] of Object.entries(line.levelPrices)) {
		if (!isNonNegativeInt(price)) throw badPrice(line, `levelPrices.${levelId}`, price);
	}
	if (line.priceOverride !== undefined) {
		// An override above list would make the line cost more than list: that is a catalog fix, not a discount.
		if (!isNonNegativeInt(line.priceOverride) || line.priceOverride > line.unitPrice) {
			throw badPrice(line, 'priceOverride', line.priceOverride);
		}
	}
	const manual = line.manualDiscount;
	if (manual !== undefined) {
		const ok =
			manual.kind === 'percent'
				? isBp(manual.bp)
				: manual.kind === 'amount' && isNonNegativeInt(manual.amount);
		if (!ok) {
			const value = manual.kind === 'percent' ? bpParam(manual.bp) : yuanParam(manual.amount);
			throw new DomainError('cart.badDiscount', { lineId: line.lineId, value });
		}
	}
}

/** Throws if two lines share a lineId: ties are broken by lineId, so it must identify a line. */
export function validateUniqueLineIds(lines: readonly PricingLine[]): void {
	const seen = new Set<string>();
	for (const line of lines) {
		if (seen.has(line.lineId)) throw new DomainError('cart.duplicateLine', { lineId: line.lineId });
		seen.add(line.lineId);
	}
}

function ruleProblem(rule: PromotionRule): string | undefined {
	switch (rule.kind) {
		case 'percentOff':
			return isBp(rule.bp) ? undefined : 'bp';
		case 'spendSave':
			if (!isPositiveInt(rule.threshold)) return 'threshold';
			if (!isNonNegativeInt(rule.save)) return 'save';
			return typeof rule.repeat === 'boolean' ? undefined : 'repeat';
		case 'buyNGetM':
			if (!isPositiveInt(rule.buy)) return 'buy';
			if (!isPositiveInt(rule.get)) return 'get';
			return Number.isSafeInteger(rule.buy + rule.get) ? undefined : 'get';
		case 'nthItem':
			if (!isPositiveInt(rule.n)) return 'n';
			return isBp(rule.bp) ? undefined : 'bp';
		default:
			return 'kind';
	}
}

function promotionProblem(p: Promotion): string | undefined {
	if (typeof p.id !== 'string' || p.id === '') return 'id';
	if (!Number.isFinite(p.priority)) return 'priority';
	if (p.stacking !== 'exclusive' && p.stacking !== 'stackable') return 'stacking';
	if (p.startsAt !== undefined && !Number.isFinite(p.startsAt)) return 'startsAt';
	if (p.endsAt !== undefined && !Number.isFinite(p.endsAt)) return 'endsAt';
	if (typeof p.scope !== 'object' || p.scope === null) return 'scope';
	if (typeof p.rule !== 'object' || p.rule === null) return 'rule';
	return ruleProblem(p.rule);
}

/**
 * Throws 'promotion.invalid' for a malformed active promotion or a duplicate id (priority ties are broken by id).
 * Active ones are checked even outside their time window, so a bad record fails before it goes live; inactive
 * drafts are skipped, since they can never change a price and must not stop every till from selling.
 */
export function validatePromotions(promotions: readonly Promotion[]): void {
	const seen = new Set<string>();
	for (const p of promotions) {
		if (p.active !== true) continue;
		const field = promotionProblem(p) ?? (seen.has(p.id) ? 'duplicateId' : undefined);
		if (field !== undefined) throw new DomainError('promotion.invalid', { promotionId: String(p.id), field });
		seen.add(p.id);
	}
}
