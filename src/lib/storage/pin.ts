/**
 * PIN hashing with WebCrypto. A 4-digit PIN cannot be protected by hashing alone (10k guesses); the real
 * protection is the lockout in domain/staff.ts. The hash keeps PINs out of plain sight in exports and backups.
 */
export async function hashPin(staffId: string, pin: string): Promise<string> {
	const data = new TextEncoder().encode(`branchline-pin:${staffId}:${pin}`);
	const digest = await crypto.subtle.digest('SHA-256', data);
	return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function verifyPin(staffId: string, pin: string, pinHash: string): Promise<boolean> {
	return (await hashPin(staffId, pin)) === pinHash;
}
