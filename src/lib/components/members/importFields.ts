/** Display names of the member import's fields (message keys), shared by the mapping form and the report. */
import type { MemberImportField } from '$lib/domain/members/importMapping';
import type { MessageKey } from '$lib/i18n/translate';

export const IMPORT_FIELD_KEYS: Record<MemberImportField, MessageKey> = {
	phone: 'members.field.phone',
	code: 'members.field.code',
	name: 'members.field.name',
	gender: 'members.field.gender',
	birthday: 'members.field.birthday',
	points: 'members.field.points',
	storedValue: 'members.field.storedValue',
	level: 'members.field.level',
	address: 'members.field.address',
	tags: 'members.field.tags',
	notes: 'members.field.notes',
	enrolledAt: 'members.field.enrolledAt'
};

export function importFieldKey(field: string | undefined): MessageKey | null {
	return field !== undefined && Object.hasOwn(IMPORT_FIELD_KEYS, field)
		? IMPORT_FIELD_KEYS[field as MemberImportField]
		: null;
}
