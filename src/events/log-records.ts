/**
 * The records of one CloudTrail log file (gzip JSON `{"Records":[…]}`), one at a time as the
 * object streams in: a file of several MB is never held whole, decompressed or parsed — only the
 * record being yielded is. A file that is not gzip or not that shape raises MalformedLogFile
 * (retrying cannot fix it); any other error is the stream's (S3, network) and worth a retry.
 */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export class MalformedLogFile extends Error {}

/** Yields each element of the top-level `Records` array, parsed. */
export async function* logRecords(body: AsyncIterable<Uint8Array>): AsyncGenerator<unknown> {
  const splitter = new RecordSplitter();
  const gunzip = createGunzip();
  const text = Readable.from(body).pipe(gunzip);
  const decoder = new TextDecoder('utf-8', { fatal: false });
  try {
    for await (const chunk of text as AsyncIterable<Buffer>) {
      yield* splitter.push(decoder.decode(chunk, { stream: true }));
    }
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) throw new MalformedLogFile(`not a gzip file (${code})`);
    throw err;
  }
  yield* splitter.push(decoder.decode());
  splitter.end();
}

/**
 * A small JSON scanner: it tracks nesting and strings only, and cuts out the objects of the
 * top-level `Records` array; JSON.parse validates each of them.
 */
class RecordSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private started = false;
  /** The last string closed at depth 1 (the top-level key before a value). */
  private key = '';
  private keyChars: string[] | undefined;
  private inRecords = false;
  private sawRecords = false;
  /** Pieces of the record being cut out (it may span chunks). */
  private parts: string[] | undefined;

  *push(chunk: string): Generator<unknown> {
    let start = this.parts ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (this.inString) {
        if (this.keyChars && !(c === 0x22 && !this.escaped)) this.keyChars.push(chunk[i]!);
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) {
          this.inString = false;
          if (this.keyChars) {
            this.key = this.keyChars.join('');
            this.keyChars = undefined;
          }
        }
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      if (!this.started) {
        if (c !== 0x7b) throw new MalformedLogFile('not a CloudTrail log file: the JSON is not an object');
        this.started = true;
      }
      if (c === 0x22) {
        this.inString = true;
        if (this.depth === 1) this.keyChars = [];
      } else if (c === 0x7b || c === 0x5b) {
        if (this.depth === 1 && c === 0x5b && this.key === 'Records') this.inRecords = this.sawRecords = true;
        else if (this.depth === 2 && this.inRecords) {
          if (c !== 0x7b) throw new MalformedLogFile('not a CloudTrail log file: a Records element is not an object');
          this.parts = [];
          start = i;
        }
        this.depth++;
      } else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth < 0) throw new MalformedLogFile('not a CloudTrail log file: unbalanced JSON');
        if (this.depth === 2 && this.parts) {
          this.parts.push(chunk.slice(start, i + 1));
          const text = this.parts.join('');
          this.parts = undefined;
          start = -1;
          try {
            yield JSON.parse(text) as unknown;
          } catch (err) {
            throw new MalformedLogFile(`not a CloudTrail log file: a record is not JSON (${(err as Error).message.slice(0, 120)})`);
          }
        } else if (this.depth === 1) this.inRecords = false;
      } else if (this.depth === 2 && this.inRecords && c !== 0x2c) {
        throw new MalformedLogFile('not a CloudTrail log file: a Records element is not an object');
      }
    }
    if (this.parts && start >= 0) this.parts.push(chunk.slice(start));
  }

  end(): void {
    if (!this.started || this.depth !== 0 || this.inString) throw new MalformedLogFile('not a CloudTrail log file: the JSON ends early');
    if (!this.sawRecords) throw new MalformedLogFile('not a CloudTrail log file: no Records array');
  }
}
