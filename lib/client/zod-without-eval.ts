import { config } from 'zod';

// Pages forbid eval (their CSP has no 'unsafe-eval'). Zod, which the chat's libraries use in the browser, would
// otherwise probe for it with `new Function`, and the browser reports that as a CSP violation each time.
config({ jitless: true });
