/**
 * Money is integer fen (1/100 yuan) behind a brand, so a float or a bare number can never be passed where money
 * is expected. Every operation checks that it stays a safe integer; rounding is always explicit and named.
 */
import { DomainError } from './errors';

declare const fenBrand: unique symbol;
/** An amount of money in fen (CNY minor units). Always a safe integer. */
export type Fen = number & { readonly [fenBrand]: 'Fen' };

/** Brands a number as fen; throws if it is not a safe integer (a float would silently lose fen). */
export function fen(n: number): Fen {
	if (!Number.isSafeInteger(n)) throw new DomainError('money.notInteger', { value: String(n) });
	return n as Fen;
}

export const ZERO = 0 as Fen;

export function add(a: Fen, b: Fen): Fen {
	return fen(a + b);
}
export function sub(a: Fen, b: Fen): Fen {
	return fen(a - b);
}
export function neg(a: Fen): Fen {
	return fen(-a);
}
/** Multiplies by an integer count (quantities); never by a fraction. */
export function times(a: Fen, count: number): Fen {
	if (!Number.isSafeInteger(count)) throw new DomainError('money.notInteger', { value: String(count) });
	return fen(a * count);
}
export function sum(values: readonly Fen[]): Fen {
	let total = 0;
	for (const v of values) total += v;
	return fen(total);
}
export function min(a: Fen, b: Fen): Fen {
	return a <= b ? a : b;
}
export function max(a: Fen, b: Fen): Fen {
	return a >= b ? a : b;
}

/** Basis points: 10000 = 100 %. Percent discounts are basis points so they stay integers too. */
export type BasisPoints = number;

/**
 * `amount * bp / 10000`, rounded half up (away from zero for negatives), computed in integers.
 * Used for percent discounts: a 15 % discount on 999 fen is 149.85 -> 150 fen.
 */
export function percentOf(amount: Fen, bp: BasisPoints): Fen {
	if (!Number.isSafeInteger(bp)) throw new DomainError('money.notInteger', { value: String(bp) });
	const product = amount * bp;
	if (!Number.isSafeInteger(product)) throw new DomainError('money.overflow', { value: String(amount) });
	const sign = product < 0 ? -1 : 1;
	const abs = Math.abs(product);
	return fen(sign * Math.floor((abs + 5000) / 10000));
}

/** 抹零 modes: drop the fen (round down to the jiao) or the jiao and fen (round down to the yuan). */
export type RoundingMode = 'none' | 'jiao' | 'yuan';

/** Whole-order 抹零: always rounds down, so the customer never pays more than the priced total. */
export function wipeSmallChange(total: Fen, mode: RoundingMode): Fen {
	if (total <= 0 || mode === 'none') return total;
	const unit = mode === 'jiao' ? 10 : 100;
	return fen(Math.floor(total / unit) * unit);
}

/**
 * Splits `total` across `weights` in proportion, exactly: the parts always sum to `total`.
 * Largest-remainder (Hamilton) method; ties go to the earlier index so the result is deterministic.
 * Weights must be non-negative; if they are all zero the total goes to the first entry.
 */
export function allocate(total: Fen, weights: readonly number[]): Fen[] {
	if (weights.length === 0) {
		if (total !== 0) throw new DomainError('money.allocateNothing', {});
		return [];
	}
	const weightSum = weights.reduce((s, w) => {
		if (!Number.isSafeInteger(w) || w < 0) throw new DomainError('money.badWeight', { value: String(w) });
		return s + w;
	}, 0);
	if (weightSum === 0) return weights.map((_, i) => (i === 0 ? total : ZERO));
	const sign = total < 0 ? -1 : 1;
	const abs = Math.abs(total);
	// BigInt keeps abs * w exact even for chain-sized totals.
	const parts = weights.map((w, index) => {
		const scaled = BigInt(abs) * BigInt(w);
		const floor = scaled / BigInt(weightSum);
		return { index, floor: Number(floor), remainder: Number(scaled - floor * BigInt(weightSum)) };
	});
	let left = abs - parts.reduce((s, p) => s + p.floor, 0);
	const byRemainder = [...parts].sort((a, b) => b.remainder - a.remainder || a.index - b.index);
	for (const part of byRemainder) {
		if (left <= 0) break;
		part.floor += 1;
		left -= 1;
	}
	return parts.map((p) => fen(sign * p.floor + 0)); // + 0 turns -0 into 0
}

/** "12.34" for 1234 fen: an exact decimal string for display and Intl (never via a float). */
export function toDecimalString(amount: Fen): string {
	const sign = amount < 0 ? '-' : '';
	const abs = Math.abs(amount);
	const yuan = Math.floor(abs / 100);
	const cents = String(abs % 100).padStart(2, '0');
	return `${sign}${yuan}.${cents}`;
}

/**
 * Parses what a cashier types as yuan ("12", "12.5", "12.50", "¥1,200") into fen, exactly.
 * Rejects more than two decimals, signs and anything that is not a number.
 */
export function parseYuan(input: string): Fen {
	const cleaned = input
		.trim()
		.replace(/^[¥￥]/, '')
		.replaceAll(',', '')
		.trim();
	const match = /^(\d{1,12})(?:\.(\d{0,2}))?$/.exec(cleaned);
	if (!match) throw new DomainError('money.badAmount', { value: input });
	const yuan = Number(match[1]);
	const cents = Number((match[2] ?? '').padEnd(2, '0'));
	return fen(yuan * 100 + cents);
}
