/** The device's language, remembered per device (localStorage), with translation helpers bound to it. */
import { defaultLocale, formatDateTime, formatMoney, isLocale, type Locale } from '$lib/i18n/format';
import { describeError, translate, type MessageKey, type MessageParams } from '$lib/i18n/translate';
import type { Fen } from '$lib/domain/money';

const storageKey = 'branchline.locale';

export class LocaleState {
	current = $state<Locale>(defaultLocale);

	constructor() {
		const saved = globalThis.localStorage?.getItem(storageKey);
		if (isLocale(saved)) this.current = saved;
		this.#applyToDocument();
	}

	set(locale: Locale): void {
		this.current = locale;
		globalThis.localStorage?.setItem(storageKey, locale);
		this.#applyToDocument();
	}

	t = (key: MessageKey, params?: MessageParams): string => translate(this.current, key, params);
	money = (amount: Fen): string => formatMoney(this.current, amount);
	dateTime = (epochMs: number): string => formatDateTime(this.current, epochMs);
	error = (error: unknown): string => describeError(this.current, error);

	#applyToDocument(): void {
		if (typeof document !== 'undefined') document.documentElement.lang = this.current;
	}
}
