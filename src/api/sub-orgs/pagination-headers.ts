import type { PageInfo } from '../../listing/listing.service.js';

/**
 * The request URL again, continuing after this page: the same parameters in
 * the same order, without `page` or `cursor`, plus the next cursor. Relative
 * to the request (RFC 3986), so it holds behind any proxy or host name.
 */
export function nextPageUrl(requestUrl: string, nextCursor: string): string {
  const [path, query = ''] = requestUrl.split('?', 2);
  const params = new URLSearchParams(query);
  params.delete('page');
  params.delete('cursor');
  params.append('cursor', nextCursor);
  return `${path}?${params.toString()}`;
}

/** `X-Total-Count`, and an RFC 8288 `Link` to the next page when there is one: what table libraries page with. */
export function paginationHeaders(requestUrl: string, page: PageInfo): Record<string, string> {
  const headers: Record<string, string> = { 'x-total-count': String(page.totalItems) };
  if (page.nextCursor !== null) headers.link = `<${nextPageUrl(requestUrl, page.nextCursor)}>; rel="next"`;
  return headers;
}
