/**
 * Domain errors carry a stable code and parameters instead of a sentence: the UI translates the code into the
 * cashier's language (see src/lib/i18n). Every code has a message in every language; a test checks that.
 */
export const domainErrorCodes = [
	'money.notInteger',
	'money.overflow',
	'money.badAmount',
	'money.badWeight',
	'money.allocateNothing',
	'cart.badQuantity',
	'cart.badPrice',
	'cart.badDiscount',
	'cart.duplicateLine',
	'cart.lineNotFound',
	'cart.empty',
	'cart.unknownSku',
	'catalog.badBarcode',
	'catalog.badCheckDigit',
	'catalog.duplicateBarcode',
	'catalog.missingField',
	'catalog.badPrice',
	'catalog.unknownCategory',
	'catalog.badValue',
	'catalog.conflictingStyle',
	'catalog.duplicateVariant',
	'catalog.styleExists',
	'catalog.levelPriceAboveRetail',
	'tender.badAmount',
	'tender.overpaidNonCash',
	'tender.notSettled',
	'tender.missingReference',
	'tender.unknownKind',
	'promotion.invalid',
	'member.badPhone',
	'member.badBirthday',
	'member.badGender',
	'member.tooLong',
	'member.tooManyTags',
	'member.anonymized',
	'member.badCode',
	'member.badDate',
	'member.badBalance',
	'member.unknownLevel',
	'member.duplicateCode',
	'member.noPhoneColumn',
	'level.invalid',
	'plan.invalid',
	'plan.inactive',
	'plan.expired',
	'plan.notStarted',
	'staff.badPin',
	'staff.locked',
	'staff.notAllowed',
	'staff.selfApproval',
	'stock.insufficient',
	'ledger.invalidEntry',
	'ledger.overdraft',
	'ledger.reasonRequired',
	'ledger.reconcileStale',
	'ledger.badPolicy',
	'points.insufficient',
	'points.overLimit',
	'storedValue.insufficient',
	'gift.outOfStock',
	'gift.inactive',
	'sale.badNumber',
	'csv.badHeader',
	'csv.unterminatedQuote',
	'csv.badQuote',
	'csv.wrongFieldCount'
] as const;

export type DomainErrorCode = (typeof domainErrorCodes)[number];
export type DomainErrorParams = Record<string, string | number>;

export class DomainError extends Error {
	readonly code: DomainErrorCode;
	readonly params: DomainErrorParams;
	constructor(code: DomainErrorCode, params: DomainErrorParams = {}) {
		super(`${code} ${JSON.stringify(params)}`);
		this.name = 'DomainError';
		this.code = code;
		this.params = params;
	}
}

/** Result type for validations that report instead of throwing (imports, forms). */
export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };
