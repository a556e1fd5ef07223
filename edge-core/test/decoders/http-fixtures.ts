/** Hand-written HTTP/1.x heads (RFC 9112), commented line by line. */
import { hex, text } from './hex.js';

const CRLF = '0d0a';

/** A pump's request for its drug library (RFC 9112 §3 request line, §5 field lines). */
export const REQUEST = hex(
  text('GET /library/v2/drugs.xml HTTP/1.1') + CRLF, // method SP request-target SP HTTP-version
  text('Host: dl.icu.example:8080') + CRLF,
  text('user-agent:   Alaris-PC/12.1.2 (8015)  ') + CRLF, // lower-case name, OWS around the value
  text('Accept: */*') + CRLF,
  CRLF, // end of the header section
);

/** The server's answer with a 5-octet body after the head. */
export const RESPONSE_HEAD = hex(
  text('HTTP/1.0 200 OK') + CRLF, // HTTP-version SP status-code SP reason-phrase
  text('Server: lighttpd/1.4.35') + CRLF,
  text('Content-Length: 5') + CRLF,
  text('Server: shadowed') + CRLF, // a second Server: the first one counts
  CRLF,
);
export const RESPONSE = hex(Buffer.from(RESPONSE_HEAD).toString('hex'), text('<x/>') + '0a');

/** An embedded web server that ends lines with a bare LF (RFC 9112 §2.2) and folds a line (§5.2). */
export const FOLDED = hex(
  text('HTTP/1.1 404') + '0a', // no reason phrase, nor the SP before it
  text('Server: Embedded') + '0a',
  text('  WebServer/2.0') + '0a', // obs-fold: continues the Server value
  '0a',
);
