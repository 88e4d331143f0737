/**
 * Computes what the till must show for a cart, with the same pure pricing engine and the same deterministic
 * demo data the server seeded. The e2e tests then check the screen against it to the fen.
 */
import { priceCart } from '../../src/lib/domain/pricing/engine';
import type { PricingLine, Promotion } from '../../src/lib/domain/pricing/types';
import type { Fen, RoundingMode } from '../../src/lib/domain/money';
import { generateDemoChain } from '../../src/lib/demo/generator';

const chain = generateDemoChain({ scale: 'demo' });

export function expectedTotal(
	barcodes: string[],
	options: { levelId?: string; rounding?: RoundingMode; now?: number } = {}
): { total: Fen; rounding: Fen; applied: string[] } {
	const qty = new Map<string, number>();
	for (const code of barcodes) qty.set(code, (qty.get(code) ?? 0) + 1);
	const lines: PricingLine[] = [...qty].map(([code, count], i) => {
		const variant = chain.variants.find((v) => v.barcode === code);
		const style = chain.styles.find((s) => s.id === variant?.styleId);
		if (!variant || !style) throw new Error(`unknown ${code}`);
		return {
			lineId: `l${i}`,
			skuId: variant.id,
			styleId: style.id,
			categoryId: style.categoryId,
			isNewArrival: style.isNewArrival,
			qty: count,
			unitPrice: variant.retailPrice ?? style.retailPrice,
			levelPrices: style.levelPrices
		};
	});
	const priced = priceCart(
		lines,
		chain.promotions as Promotion[],
		{ now: options.now ?? Date.now(), ...(options.levelId ? { memberLevelId: options.levelId } : {}) },
		{
			rounding: options.rounding ?? chain.settings.rounding,
			promotionsStackWithLevelPrice: chain.settings.promotionsStackWithLevelPrice
		}
	);
	return {
		total: priced.total,
		rounding: priced.roundingDiscount,
		applied: priced.applied.map((a) => a.name)
	};
}
