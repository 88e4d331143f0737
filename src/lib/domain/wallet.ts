/**
 * Recognises a customer's payment code (付款码) scanned at the till, so the cashier does not have to pick
 * WeChat / Alipay / UnionPay by hand. Prefix and length rules as published by the wallets:
 * WeChat Pay 18 digits starting 10-15; Alipay 16-24 digits starting 25-30; UnionPay QuickPass 19 digits starting 62.
 */
import type { TenderKind } from './tender';

/** A wallet whose payment code we recognise; the values are the matching tender kinds. */
export type WalletKind = Extract<TenderKind, 'wechat' | 'alipay' | 'unionpay'>;

const RULES: readonly { kind: WalletKind; pattern: RegExp }[] = [
	{ kind: 'wechat', pattern: /^1[0-5]\d{16}$/ },
	{ kind: 'alipay', pattern: /^(?:2[5-9]|30)\d{14,22}$/ },
	{ kind: 'unionpay', pattern: /^62\d{17}$/ }
];

/** The wallet a scanned payment code belongs to, or null (not a payment code: maybe a product barcode). */
export function detectWallet(code: string): WalletKind | null {
	// Scanners append CR/LF or a tab; nothing else is tolerated (a payment code is digits only).
	const digits = code.trim();
	for (const rule of RULES) if (rule.pattern.test(digits)) return rule.kind;
	return null;
}

/**
 * Masks a payment code for logs and screens: it is a bearer token for the customer's money until it expires,
 * so only the first and last four digits are kept.
 */
export function maskPaymentCode(code: string): string {
	const digits = code.trim();
	if (digits.length <= 8) return '*'.repeat(digits.length);
	return digits.slice(0, 4) + '*'.repeat(digits.length - 8) + digits.slice(-4);
}
