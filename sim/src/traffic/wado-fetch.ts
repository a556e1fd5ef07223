/** A clinical workstation fetching an image from the PACS over plain HTTP (DICOM PS3.18 §9 WADO-URI). */
import type { HospitalDevice } from '../devices.js';
import type { SeededRandom } from '../prng.js';
import { concatBytes, latin1 } from '../packets/bytes.js';
import { httpRequest, httpResponse } from '../packets/http.js';
import type { TcpMessage } from '../packets/tcp-connection.js';

export const WADO_PORT = 8080;
export const HOSPITAL_DOMAIN = 'hospital.local';

const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

export function wadoFetchMessages(pacs: HospitalDevice, random: SeededRandom): TcpMessage[] {
  const study = `1.2.840.113619.2.55.3.${random.uint32()}`;
  const query = new URLSearchParams({
    requestType: 'WADO',
    studyUID: study,
    seriesUID: `${study}.1`,
    objectUID: `${study}.1.${random.int(1, 300)}`,
    contentType: 'image/jpeg',
  });
  const request = httpRequest({
    method: 'GET',
    target: `/wado?${query.toString()}`,
    host: `${pacs.hostname}.${HOSPITAL_DOMAIN}:${WADO_PORT}`,
    userAgent: BROWSER,
    headers: [['Referer', `http://${pacs.hostname}.${HOSPITAL_DOMAIN}:${WADO_PORT}/viewer/`]],
  });
  const response = httpResponse({
    status: 200,
    reason: 'OK',
    server: `WildFly/26 dcm4chee-arc/${pacs.softwareVersion}`,
    contentType: 'image/jpeg',
    body: jpegLike(random, random.int(6_000, 20_000)),
  });
  return [
    { from: 'client', payload: request },
    { from: 'server', payload: response },
  ];
}

/** A JPEG stream's outline (ITU-T T.81 Annex B): SOI, a JFIF APP0, opaque scan bytes, EOI. */
function jpegLike(random: SeededRandom, length: number): Uint8Array {
  const app0 = concatBytes([Uint8Array.of(0xff, 0xe0, 0x00, 0x10), latin1('JFIF\0'), Uint8Array.of(1, 1, 0, 0, 1, 0, 1, 0, 0)]);
  const scan = random.bytes(length).map((b) => (b === 0xff ? 0xfe : b));
  return concatBytes([Uint8Array.of(0xff, 0xd8), app0, scan, Uint8Array.of(0xff, 0xd9)]);
}
