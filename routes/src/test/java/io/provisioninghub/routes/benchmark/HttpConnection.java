package io.provisioninghub.routes.benchmark;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection (plain or TLS) for the load generator: blocking I/O on the caller's
 * thread, no executor hand-offs, no per-request allocation beyond the request bytes and the response. It is as
 * cheap as a client can be, because it shares the machine's two cores with the hub it measures.
 * <p>
 * The connection is kept open across requests. It is reopened only when the server closes it (it answers
 * {@code Connection: close}, e.g. after Tomcat's {@code maxKeepAliveRequests}) or drops an idle one; the number
 * of connections opened is counted so that the results can show how many TLS handshakes a phase paid for.
 * Not thread-safe: one per worker thread.
 */
final class HttpConnection implements Closeable {

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 30_000;

    private final InetSocketAddress address;
    private final String hostName;
    private final SSLSocketFactory tls;
    private final byte[] hostHeader;
    private final byte[] line = new byte[16 * 1024];
    /** Read buffer over the socket's stream (no per-byte locking as in BufferedInputStream). */
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private long opened;

    /** @param tls null for plain HTTP */
    HttpConnection(String hostName, String address, int port, SSLSocketFactory tls) {
        this.address = new InetSocketAddress(address, port);
        this.hostName = hostName;
        this.tls = tls;
        this.hostHeader = ("Host: " + hostName + ":" + port + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Connections opened so far (each TLS one is a handshake). */
    long opened() {
        return opened;
    }

    /**
     * GET {@code target} with the given extra header lines (each ending in CRLF, may be empty).
     *
     * @throws IOException when the server cannot be reached or answers something that is not HTTP/1.1
     */
    Response get(String target, String headerLines) throws IOException {
        byte[] request = ("GET " + target + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] headers = headerLines.getBytes(StandardCharsets.ISO_8859_1);
        boolean reused = socket != null;
        if (!reused) {
            connect();
        }
        try {
            try {
                return exchange(request, headers);
            } catch (StaleConnection e) {
                if (!reused) {
                    throw e;
                }
                // An idle keep-alive connection the server had closed: once more on a new connection (GET).
                close();
                connect();
                return exchange(request, headers);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private Response exchange(byte[] request, byte[] headers) throws IOException {
        out.write(request);
        out.write(hostHeader);
        out.write(headers);
        out.write('\r');
        out.write('\n');
        out.flush();
        return read();
    }

    private void connect() throws IOException {
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(address, CONNECT_TIMEOUT_MS);
            plain.setSoTimeout(READ_TIMEOUT_MS);
            Socket s = plain;
            if (tls != null) {
                SSLSocket secure = (SSLSocket) tls.createSocket(plain, hostName, address.getPort(), true);
                SSLParameters parameters = secure.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                secure.setSSLParameters(parameters);
                secure.startHandshake();
                s = secure;
            }
            socket = s;
            in = s.getInputStream();
            position = 0;
            limit = 0;
            out = new BufferedOutputStream(s.getOutputStream(), 4 * 1024);
            opened++;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private Response read() throws IOException {
        int n = readLine();
        if (n < 0) {
            throw new StaleConnection();
        }
        if (n < 12 || line[0] != 'H' || line[8] != ' ') {
            throw new IOException("not an HTTP status line: " + new String(line, 0, Math.min(n, 80), StandardCharsets.ISO_8859_1));
        }
        int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        long contentLength = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        String cookie = null;
        while ((n = readLine()) > 0) {
            if (startsWithIgnoreCase(n, "content-length:")) {
                contentLength = Long.parseLong(value(n, "content-length:".length()));
            } else if (startsWithIgnoreCase(n, "transfer-encoding:")) {
                chunked = value(n, "transfer-encoding:".length()).equalsIgnoreCase("chunked");
            } else if (startsWithIgnoreCase(n, "connection:")) {
                closeAfter = value(n, "connection:".length()).equalsIgnoreCase("close");
            } else if (startsWithIgnoreCase(n, "set-cookie:")) {
                String v = value(n, "set-cookie:".length());
                int semi = v.indexOf(';');
                cookie = semi < 0 ? v : v.substring(0, semi);
            }
        }
        if (n < 0) {
            throw new EOFException("connection closed in the response headers");
        }
        byte[] body;
        if (chunked) {
            body = readChunked();
        } else if (contentLength >= 0) {
            body = readBytes((int) contentLength);
        } else {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream(1024);
            int b;
            while ((b = readByte()) >= 0) {
                all.write(b);
            }
            body = all.toByteArray();
            closeAfter = true;
        }
        if (closeAfter) {
            close();
        }
        return new Response(status, body, cookie);
    }

    private byte[] readChunked() throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream(1024);
        while (true) {
            int n = readLine();
            if (n < 0) {
                throw new EOFException("connection closed in a chunk header");
            }
            String size = new String(line, 0, n, StandardCharsets.ISO_8859_1);
            int semi = size.indexOf(';');
            int chunk = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (chunk == 0) {
                while ((n = readLine()) > 0) {
                    // trailers: none expected, skipped
                }
                return body.toByteArray();
            }
            body.write(readBytes(chunk));
            readLine(); // CRLF after the chunk
        }
    }

    private int readByte() throws IOException {
        if (position == limit) {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return -1;
            }
            position = 0;
            limit = n;
        }
        return buffer[position++] & 0xff;
    }

    private byte[] readBytes(int count) throws IOException {
        byte[] data = new byte[count];
        int done = Math.min(count, limit - position);
        System.arraycopy(buffer, position, data, 0, done);
        position += done;
        while (done < count) {
            int n = in.read(data, done, count - done);
            if (n <= 0) {
                throw new EOFException("connection closed in the response body");
            }
            done += n;
        }
        return data;
    }

    /** Reads one line without its CRLF into {@link #line}; returns its length, or -1 at end of stream. */
    private int readLine() throws IOException {
        int n = 0;
        int b;
        while ((b = readByte()) >= 0) {
            if (b == '\n') {
                return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
            }
            if (n == line.length) {
                throw new IOException("response line longer than " + line.length + " bytes");
            }
            line[n++] = (byte) b;
        }
        return n == 0 ? -1 : n;
    }

    private boolean startsWithIgnoreCase(int length, String prefix) {
        if (length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.toLowerCase((char) line[i]) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private String value(int length, int from) {
        return new String(line, from, length - from, StandardCharsets.ISO_8859_1).trim();
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        in = null;
        out = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing to do for a connection we are dropping
            }
        }
    }

    /** A response: status, body and the {@code name=value} of its Set-Cookie (or null). */
    record Response(int status, byte[] body, String cookie) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The server closed a reused connection before answering. */
    private static final class StaleConnection extends EOFException {
        StaleConnection() {
            super("connection closed before the status line");
        }
    }
}
