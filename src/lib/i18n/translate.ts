/**
 * Message catalogs are plain typed objects: zh-CN is the source; every other language must have exactly the
 * same keys, which the type checker enforces at compile time (a missing key fails `npm run check`).
 */
import { zhCN, type MessageKey } from './messages/zh-CN';
import { en } from './messages/en';
import { zhTW } from './messages/zh-TW';
import type { Locale } from './format';
import { DomainError } from '$lib/domain/errors';

export type { MessageKey };
export type MessageParams = Record<string, string | number>;

const catalogs: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en, 'zh-TW': zhTW };

/** Looks up a message and fills `{name}` placeholders. */
export function translate(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
	const template = catalogs[locale][key] ?? zhCN[key];
	return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
		name in params ? String(params[name]) : whole
	);
}

/** A cashier-facing sentence for any error: domain errors by code, anything else as a generic failure. */
export function describeError(locale: Locale, error: unknown): string {
	if (error instanceof DomainError) {
		const key = `error.${error.code}` as MessageKey;
		if (key in zhCN) return translate(locale, key, error.params);
	}
	if (error instanceof DOMException && error.name === 'QuotaExceededError')
		return translate(locale, 'error.storageFull');
	const detail = error instanceof Error ? error.message : String(error);
	return translate(locale, 'error.unexpected', { detail });
}

export function messageKeys(): MessageKey[] {
	return Object.keys(zhCN) as MessageKey[];
}
