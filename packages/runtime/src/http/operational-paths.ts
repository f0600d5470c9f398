/** Probes and scrapes, which are not traffic: neither traced nor counted as requests. */
export const isOperationalPath = (url: string): boolean => /^\/(healthz|readyz|metrics)(\?|$)/.test(url);
