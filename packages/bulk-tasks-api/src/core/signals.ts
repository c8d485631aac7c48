/**
 * Makes `parent` abort `child`, with the parent's reason, and returns the function that undoes the
 * link. Preferred to AbortSignal.any: on Node 20 that costs more per call and keeps its sources'
 * listeners until garbage collection, and the client links one controller per attempt and per page.
 */
export function linkAbort(parent: AbortSignal | undefined, child: AbortController): () => void {
  if (!parent) return () => {};
  if (parent.aborted) {
    child.abort(parent.reason);
    return () => {};
  }
  const forward = () => child.abort(parent.reason);
  parent.addEventListener("abort", forward, { once: true });
  return () => parent.removeEventListener("abort", forward);
}
