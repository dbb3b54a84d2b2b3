import { decryptOptional, encryptOptional, SecretUnreadableError, type SecretBinding } from '@/server/crypto/secret-box';

/** Where each NAS secret is stored: its ciphertext is bound to that row and column (secret-box.ts). */
export const nasSecretBinding = (id: number): SecretBinding => ({ table: 'nas_devices', column: 'secret_enc', id });
export const nasApiPasswordBinding = (id: number): SecretBinding => ({ table: 'nas_devices', column: 'api_password_enc', id });

export const SECRET_UNREADABLE = 'The stored secret is unreadable (the encryption key changed, or the row was altered): set a new one';
export const API_PASSWORD_UNREADABLE =
  'The stored API password is unreadable (the encryption key changed, or the row was altered): set a new one';

/** A stored value, decrypted; `null` when it is set but no key opens it. */
export function readStored(stored: string, binding: SecretBinding): string | null {
  try {
    return decryptOptional(stored, binding);
  } catch (e) {
    if (e instanceof SecretUnreadableError) return null;
    throw e;
  }
}

export function sealNasSecrets(id: number, values: { secret?: string; apiPassword?: string }) {
  return {
    ...(values.secret !== undefined && { secretEnc: encryptOptional(values.secret, nasSecretBinding(id)) }),
    ...(values.apiPassword !== undefined && { apiPasswordEnc: encryptOptional(values.apiPassword, nasApiPasswordBinding(id)) }),
  };
}
