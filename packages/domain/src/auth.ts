import { z } from 'zod';
import { ROLE_VALUES } from './vocabulary';

export const RoleSchema = z.enum(ROLE_VALUES);

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

export const Email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be a valid email address'))
  .transform((email) => email.toLowerCase());

export const NewPassword = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`);

/** A password being checked, not chosen: any non-empty string up to the maximum. */
export const Password = z
  .string()
  .min(1, 'is required')
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`);

export const DisplayName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(80, 'must be at most 80 characters');

/** A 6-digit TOTP code, or a recovery code (`xxxxx-xxxxx`). */
export const SecondFactorCode = z
  .string()
  .trim()
  .min(6, 'must be a 6-digit code or a recovery code')
  .max(32, 'must be a 6-digit code or a recovery code');

export const RegisterInput = z.strictObject({
  email: Email,
  password: NewPassword,
  displayName: DisplayName.optional(),
});
export type RegisterInput = z.infer<typeof RegisterInput>;

export const LoginInput = z.strictObject({
  email: Email,
  password: Password,
  totp: SecondFactorCode.optional(),
});
export type LoginInput = z.infer<typeof LoginInput>;

export const ChangePasswordInput = z.strictObject({
  currentPassword: Password,
  newPassword: NewPassword,
});
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;
