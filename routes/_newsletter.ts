// The newsletter list of the demo: addresses kept in this process only (a
// real shop would call its mailing service here). Never in the
// cross-request cache, which is for data every visitor shares.
const subscribers = new Set<string>();
const MAX_SUBSCRIBERS = 10_000;

/** Why an address will not do, or undefined when it will. */
export function addressProblem(email: string): string | undefined {
  if (email === '') return 'Enter your email address.';
  if (email.length > 254 || !/^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$/.test(email)) return `"${email}" does not look like an email address: try you@example.com.`;
  return undefined;
}

export function subscribe(email: string): void {
  subscribers.delete(email);
  subscribers.add(email);
  // Oldest first out: the demo's memory stays bounded.
  if (subscribers.size > MAX_SUBSCRIBERS) subscribers.delete(subscribers.values().next().value!);
}
