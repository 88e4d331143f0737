/**
 * The demo catalog: styles with size x colour SKUs, streamed one style at a time so chain-L (20k styles, 60k SKUs)
 * never needs the whole catalog in memory. Exactly `spec.styles` styles and `spec.skus` SKUs.
 */
import { pinyin } from 'pinyin-pro';
import { ean13FromBody } from '../domain/barcode';
import type { Category, MemberLevel, Style, Variant } from '../domain/catalog';
import { fen, percentOf, type Fen } from '../domain/money';
import { createRng, hashHex, weightedPicker, type Rng } from './prng';
import type { ScaleSpec, StyleWithVariants } from './types';
import { CATEGORY_SPECS, PRICE_LADDER, type CategorySpec } from './words';

export const styleId = (index: number): string => `sty-${String(index + 1).padStart(5, '0')}`;
export const skuId = (index: number): string => `sku-${String(index + 1).padStart(6, '0')}`;

/** VAT on clothing, informational (prices are tax-inclusive). */
const TAX_RATE_BP = 1300;
/** Member-level discount by rank in basis points (rank 0 pays retail). */
const LEVEL_DISCOUNT_BP = [0, 500, 1000, 1500] as const;

export function demoCategories(): Category[] {
	return CATEGORY_SPECS.map((c) => ({ id: c.id, name: c.name }));
}

const initialsCache = new Map<string, string>();

/** Lower-case pinyin initials for search: 纯棉圆领T恤 -> "cmyltx"; latin letters and digits are kept. */
export function pinyinInitials(name: string): string {
	let cached = initialsCache.get(name);
	if (cached === undefined) {
		const parts = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array' });
		cached = parts
			.join('')
			.toLowerCase()
			.replace(/[^a-z0-9]/g, '');
		initialsCache.set(name, cached);
	}
	return cached;
}

/** Barcode numbering: 69 + a seed-derived company prefix + a scrambled item reference, with check digit. */
export function barcodeMaker(seed: string, skuCount: number): (index: number) => string {
	const refDigits = Math.max(5, String(Math.max(0, skuCount - 1)).length);
	if (refDigits > 9) throw new RangeError('too many SKUs for EAN-13 numbering');
	const modulus = 10 ** refDigits;
	const companyDigits = 10 - refDigits;
	const hash = hashHex(`${seed}/barcodes`);
	const company = String(parseInt(hash.slice(0, 8), 16) % 10 ** companyDigits).padStart(companyDigits, '0');
	const offset = parseInt(hash.slice(8, 16), 16) % modulus;
	// 7919 is prime and not 2 or 5, so i -> i * 7919 + offset is a bijection modulo 10^n: references never repeat.
	return (index) => {
		const ref = (index * 7919 + offset) % modulus;
		return ean13FromBody(`69${company}${String(ref).padStart(refDigits, '0')}`);
	};
}

function pickPrice(rng: Rng, [min, max]: readonly [number, number]): Fen {
	const options = PRICE_LADDER.filter((p) => p >= min && p <= max);
	// Cheaper prices are more common: bias towards the start of the range.
	const index = Math.floor(rng.next() ** 1.4 * options.length);
	const yuan = options[Math.min(index, options.length - 1)] ?? min;
	return fen(yuan * 100);
}

/** Level price: retail minus the rank's discount, rounded down to whole yuan (always below retail). */
export function levelPrice(retail: Fen, rank: number): Fen | undefined {
	const bp = LEVEL_DISCOUNT_BP[rank] ?? 0;
	if (bp === 0) return undefined;
	const discounted = retail - percentOf(retail, bp);
	const price = fen(Math.floor(discounted / 100) * 100);
	return price > 0 && price < retail ? price : undefined;
}

function styleName(rng: Rng, spec: CategorySpec): string {
	const material = spec.materials.length > 0 && rng.chance(0.8) ? rng.pick(spec.materials) : '';
	const feature = spec.features.length > 0 ? rng.pick(spec.features) : '';
	return `${material}${feature}${rng.pick(spec.items)}`;
}

/** Picks how many SKUs this style gets so that the chain total comes out exactly at `spec.skus`. */
function variantCount(rng: Rng, remainingSkus: number, remainingStyles: number, maxCells: number): number {
	const target = remainingSkus / remainingStyles;
	const spread = rng.pick([0.6, 0.8, 1, 1, 1, 1.2, 1.5, 2]);
	const wanted = Math.round(target * spread);
	const mustLeave = remainingStyles - 1; // every later style needs at least one SKU
	const atMost = Math.min(maxCells, remainingSkus - mustLeave);
	if (remainingStyles === 1) return Math.max(1, Math.min(remainingSkus, maxCells));
	return Math.max(1, Math.min(wanted, atMost));
}

/** A contiguous run of `count` sizes centred on the middle of the category's size run (M, L / 28-31). */
function sizeRun(rng: Rng, sizes: readonly string[], count: number): string[] {
	const n = Math.min(count, sizes.length);
	const centreStart = Math.floor((sizes.length - n) / 2);
	const start = Math.max(0, Math.min(sizes.length - n, centreStart + rng.int(-1, 1)));
	return sizes.slice(start, start + n);
}

export interface CatalogOptions {
	seed: string;
	spec: ScaleSpec;
	levels: readonly MemberLevel[];
	asOf: number;
}

/** Streams the catalog, one style with its SKUs at a time. Deterministic for a seed. */
export function* generateCatalog({ seed, spec, levels, asOf }: CatalogOptions): Generator<StyleWithVariants> {
	const rng = createRng(seed).fork('catalog');
	const pickCategory = weightedPicker(CATEGORY_SPECS.map((c) => [c, c.weight] as const));
	const barcode = barcodeMaker(seed, spec.skus);
	const seasonCounters = new Map<string, number>();
	let skuIndex = 0;
	for (let i = 0; i < spec.styles; i++) {
		const cat = pickCategory(rng);
		const ss = rng.chance(cat.springSummer);
		const season = ss ? '2026SS' : '2026AW';
		const seasonNo = (seasonCounters.get(season) ?? 0) + 1;
		seasonCounters.set(season, seasonNo);
		const name = styleName(rng, cat);
		const retailPrice = pickPrice(rng, cat.priceYuan);
		const levelPrices: Record<string, Fen> = {};
		// About 8 % are net-price styles (特价款) that take no member-level price.
		if (!rng.chance(0.08)) {
			for (const level of levels) {
				const price = levelPrice(retailPrice, level.rank);
				if (price !== undefined) levelPrices[level.id] = price;
			}
		}
		const style: Style = {
			id: styleId(i),
			code: `BL26${ss ? 'S' : 'A'}-${String(seasonNo).padStart(4, '0')}`,
			name,
			categoryId: cat.id,
			season,
			isNewArrival: rng.chance(0.15),
			retailPrice,
			levelPrices,
			taxRateBp: TAX_RATE_BP,
			pinyinInitials: pinyinInitials(name),
			active: true,
			updatedAt: asOf
		};

		const maxColors = Math.min(cat.colors.length, 6);
		const count = variantCount(rng, spec.skus - skuIndex, spec.styles - i, maxColors * cat.sizes.length);
		// Fewest colours that fit the count, sometimes one more; the last colour may lack the outer sizes.
		let colorCount = Math.ceil(count / cat.sizes.length);
		if (colorCount < maxColors && count >= 4 && cat.sizes.length > 1 && rng.chance(0.3)) colorCount++;
		const sizesPerColor = Math.ceil(count / colorCount);
		const colors = rng.sample(cat.colors, colorCount);
		const sizes = sizeRun(rng, cat.sizes, sizesPerColor);
		const variants: Variant[] = [];
		for (const color of colors) {
			for (const size of sizes) {
				if (variants.length === count) break;
				const variant: Variant = {
					id: skuId(skuIndex),
					styleId: style.id,
					barcode: barcode(skuIndex),
					size,
					color,
					active: true,
					updatedAt: asOf
				};
				if (size === 'XXL' && cat.xxlSurchargeYuan) {
					variant.retailPrice = fen(retailPrice + cat.xxlSurchargeYuan * 100);
				}
				variants.push(variant);
				skuIndex++;
			}
		}
		yield { style, variants };
	}
}
