// How long a password can be: a new one (chosen at first boot) and one typed at a login.

/** A new root password: 8 to 128 characters. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/**
 * The longest password any login on the machine takes: PAM hands a module at most
 * PAM_MAX_RESP_SIZE (512) bytes of an answer, so login, su and sshd never pass a longer one. A longer
 * input cannot be right and is refused before it is hashed (SHA-512 crypt's cost grows with it).
 */
export const LOGIN_PASSWORD_MAX = 512;

export const TOO_LONG = `A password has at most ${LOGIN_PASSWORD_MAX} characters (the most a login takes): this one is longer, so it is not checked.`;
