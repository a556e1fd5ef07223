/** The packet builders, one module per protocol. */
export * from './address.js';
export * from './arp.js';
export * from './bytes.js';
export * from './checksum.js';
export * from './dhcp.js';
export * from './dicom-message.js';
export * from './dicom-ul.js';
export * from './ethernet.js';
export * from './hl7.js';
export * from './http.js';
export * from './icmpv6.js';
export * from './ipv4.js';
export * from './ipv6.js';
export * from './tcp.js';
export * from './tcp-connection.js';
export * from './tls.js';
export * from './udp.js';
