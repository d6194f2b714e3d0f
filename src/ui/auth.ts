// The one gate in front of every privileged action (opening a change form, writing a plan).
// Today it lets everything through; the login issue plugs the password check in here, and the core
// checks again where it matters.

export type Privileged<T> = () => T | Promise<T>;

/**
 * Runs `action` once the user is allowed to; resolves undefined when they are not (the action did
 * not run). With no login built yet, every action runs.
 */
export async function requireAuth<T>(action: Privileged<T>): Promise<T | undefined> {
  return await action();
}
