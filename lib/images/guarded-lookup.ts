import type * as dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isPublicAddress } from '@/lib/images/address-policy';

export type Lookup = typeof dns.lookup;

/** Raised inside the connect-time lookup; safeFetch finds it in the fetch error's cause chain. */
export class BlockedAddressError extends Error {
  readonly code = 'EIRIS_BLOCKED_ADDRESS';
  constructor(readonly hostname: string) {
    super(`${hostname} resolves to a private or reserved address`);
    this.name = 'BlockedAddressError';
  }
}

/**
 * A `lookup` for net.connect/tls.connect that refuses a host if ANY of its addresses is not
 * public. Running at connect time, on the very answer the socket will use, it closes the DNS
 * rebinding gap between an earlier check and the connection.
 *
 * Node calls it two ways: with `all: true` (autoSelectFamily, the default since Node 20) it wants
 * `cb(err, [{ address, family }])`; otherwise `cb(err, address, family)`. All addresses are
 * always asked for, so a host cannot hide a private address behind a public first answer.
 */
export function createGuardedLookup(lookup: Lookup, allowPrivateAddresses: boolean): LookupFunction {
  return (hostname, options, callback) => {
    // Node always passes an options object; the bare-family form is kept for direct callers.
    const opts: dns.LookupOptions = typeof options === 'number' ? { family: options } : { ...options };
    const wantsAll = opts.all === true;
    lookup(hostname, { ...opts, all: true }, (error, addresses) => {
      if (error) return callback(error, wantsAll ? [] : '');
      const first = addresses[0];
      if (!first) {
        const notFound: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        notFound.code = 'ENOTFOUND';
        return callback(notFound, wantsAll ? [] : '');
      }
      if (!allowPrivateAddresses && addresses.some((a) => !isPublicAddress(a.address))) {
        return callback(new BlockedAddressError(hostname), wantsAll ? [] : '');
      }
      if (wantsAll) return callback(null, addresses);
      callback(null, first.address, first.family);
    });
  };
}

/** The same rule, once, before any connection exists: a clean early answer for the common case. */
export function resolveAll(hostname: string, lookup: Lookup, signal: AbortSignal): Promise<dns.LookupAddress[]> {
  return new Promise((resolve, reject) => {
    // dns.lookup cannot be cancelled; stop waiting for it instead, so the caller's deadline holds.
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    lookup(hostname, { all: true }, (error, addresses) => {
      signal.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(addresses);
    });
  });
}
