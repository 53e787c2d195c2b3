// The public API, through the gateway, with the page's key in X-Api-Key on every request.

/** A refused request: its HTTP status and the problem details' errors by field. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.errors = problem?.errors || {};
  }
}

export class Api {
  constructor(key) { this.key = key; }

  headers(extra = {}) { return this.key ? { 'X-Api-Key': this.key, ...extra } : extra; }

  async send(path, init = {}) {
    let response;
    try {
      response = await fetch(path, { ...init, headers: this.headers(init.headers) });
    } catch (e) {
      // A refused upload may be cut off before its answer can be read (the gateway stops reading past its limit).
      throw new ApiError(0, { title: 'The request did not get through', detail: `No answer from the gateway (${e.message}).` });
    }
    if (!response.ok) {
      let problem = null;
      try { problem = await response.json(); } catch { /* not problem details */ }
      if (response.headers.get('Retry-After')) problem = { ...problem, retryAfter: Number(response.headers.get('Retry-After')) };
      throw new ApiError(response.status, problem);
    }
    return response;
  }

  async json(path, init) { return (await this.send(path, init)).json(); }

  /** Submits a job; answers its id. */
  async submit(request) {
    const body = await this.json('/api/jobs', { method: 'POST', body: JSON.stringify(request), headers: { 'Content-Type': 'application/json' } });
    return body.id;
  }

  /** A PNG as an object URL, with the response's headers. */
  async png(path) {
    const response = await this.send(path);
    return { url: URL.createObjectURL(await response.blob()), headers: response.headers };
  }

  /**
   * A job's server-sent events, read with fetch (EventSource cannot send the key header): yields {type, data}.
   * Ends when the server closes the stream.
   */
  async *events(id, signal) {
    const response = await this.send(`/api/jobs/${id}/events`, { signal, headers: { Accept: 'text/event-stream' } });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    while (true) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let type = 'message', data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue; // keep-alive
          if (line.startsWith('event:')) type = line.slice(6).trim();
          else if (line.startsWith('data:')) data += line.slice(5).trim();
        }
        if (data) yield { type, data: JSON.parse(data) };
      }
    }
  }
}
