// A big response body does not come back in Send's result: one 10 MiB
// message through Wails' bridge keeps the page busy for over 100 ms. Go
// leaves Body (and PrettyBody) out, says how many parts it has, and the
// page fetches them one call at a time, answering clicks in between.

/** The fields of a Send result that parted bodies touch. */
export interface PartedBody {
  requestId: string;
  body: string;
  prettyBody: string;
  bodyParts: number;
  prettyParts: number;
}

/** fetchPart gets part i (0-based) of the "body" or "pretty" text. */
export type PartFetcher = (requestId: string, which: 'body' | 'pretty', i: number) => Promise<string>;

/** Progress while parts arrive: parts received of the total for this response. */
export type PartProgress = (received: number, total: number) => void;

/**
 * joinBodyParts fetches the parts Go left out, in order, and returns the
 * response with Body and PrettyBody whole again (bodyParts and prettyParts
 * back to 0). A response with no parts is returned as it is.
 */
export async function joinBodyParts<R extends PartedBody>(r: R, fetchPart: PartFetcher, progress?: PartProgress): Promise<R> {
  const total = (r.bodyParts || 0) + (r.prettyParts || 0);
  if (total === 0) return r;
  let received = 0;
  const fetchAll = async (which: 'body' | 'pretty', n: number): Promise<string> => {
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      parts.push(await fetchPart(r.requestId, which, i));
      received++;
      progress?.(received, total);
    }
    return parts.join('');
  };
  const body = r.bodyParts > 0 ? await fetchAll('body', r.bodyParts) : r.body;
  const prettyBody = r.prettyParts > 0 ? await fetchAll('pretty', r.prettyParts) : r.prettyBody;
  return { ...r, body, prettyBody, bodyParts: 0, prettyParts: 0 };
}
