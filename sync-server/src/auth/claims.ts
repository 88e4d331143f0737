/**
 * Runtime checks around the shared contract: roles, ids, token claims and per-document access.
 * Type definitions and the access rules themselves come from protocol.ts (one definition).
 */
import { access, parseDocName, type DeviceClaims, type DocRef, type Role } from '../protocol.js';

export const ROLES = ['cashier', 'manager', 'owner'] as const satisfies readonly Role[];
// Fails to compile when protocol.ts gains a role this list does not know.
const _allRolesListed: Exclude<Role, (typeof ROLES)[number]> extends never ? true : never = true;
void _allRolesListed;

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Chain, branch and device ids follow protocol.ts's id rule (letters, digits, `_`, `-`; 1-64 chars). That rule
 * is not exported, so ask the parser instead of copying the pattern: a branch document name is valid exactly
 * when the id is.
 */
export function isSafeId(value: unknown): value is string {
	return typeof value === 'string' && parseDocName(`c/branch/${value}/200001`)?.branch === value;
}

/** The device claims inside a verified token payload, or undefined when any of them is missing or malformed. */
export function parseClaims(payload: Record<string, unknown>): DeviceClaims | undefined {
	const { chain, branch, device, role } = payload;
	if (!isSafeId(chain) || !isSafeId(branch) || !isSafeId(device) || !isRole(role)) return undefined;
	if (payload.sub !== undefined && payload.sub !== device) return undefined;
	return { chain, branch, device, role };
}

export type DocumentDecision =
	| { ok: true; ref: DocRef; access: 'read' | 'write' }
	| { ok: false; reason: 'invalid document name' | 'outside the token scope' };

/** What a device may do with the document named `name` (the relay refuses both failure cases with 403). */
export function authorizeDocument(claims: DeviceClaims, name: string): DocumentDecision {
	const ref = parseDocName(name);
	if (!ref) return { ok: false, reason: 'invalid document name' };
	const level = access(claims, ref);
	if (level === 'none') return { ok: false, reason: 'outside the token scope' };
	return { ok: true, ref, access: level };
}

export function sameClaims(a: DeviceClaims, b: DeviceClaims): boolean {
	return a.chain === b.chain && a.branch === b.branch && a.device === b.device && a.role === b.role;
}
