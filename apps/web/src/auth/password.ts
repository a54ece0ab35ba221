/** The server's rule for new passwords (packages/domain, NewPassword), checked here first so forms can say so at once. */
export const PASSWORD_MIN = 10;

export const PASSWORD_HINT = `At least ${PASSWORD_MIN} characters. A short sentence is easy to remember and hard to guess.`;
