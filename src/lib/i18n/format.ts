/** Locale-aware formatting. Money goes to Intl as an exact decimal string, never through a float. */
import { toDecimalString, type Fen } from '$lib/domain/money';

export const locales = ['zh-CN', 'en', 'zh-TW'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'zh-CN';

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

const moneyFormats = new Map<Locale, Intl.NumberFormat>();

/** ¥1,234.50 for 123450 fen, in the locale's style. */
export function formatMoney(locale: Locale, amount: Fen): string {
	let format = moneyFormats.get(locale);
	if (!format) {
		format = new Intl.NumberFormat(locale, {
			style: 'currency',
			currency: 'CNY',
			currencyDisplay: 'narrowSymbol',
			minimumFractionDigits: 2
		});
		moneyFormats.set(locale, format);
	}
	return format.format(toDecimalString(amount) as Intl.StringNumericLiteral);
}

export function formatDateTime(locale: Locale, epochMs: number): string {
	return new Intl.DateTimeFormat(locale, {
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		hour12: false
	}).format(epochMs);
}

export function formatTime(locale: Locale, epochMs: number): string {
	return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hour12: false }).format(
		epochMs
	);
}
