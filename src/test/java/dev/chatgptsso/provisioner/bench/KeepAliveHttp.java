package dev.chatgptsso.provisioner.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 keep-alive connection to the service: sends the same GET again and again (the open-loop GET phase)
 * or JSON POSTs (the bulk onboarding and the measured warm creates). A plain socket instead of {@code java.net.http},
 * because the load generator shares the two cores with the service and should take as little of them as it can. Reads the status line, the
 * headers and a body framed by {@code Content-Length} or chunked encoding; anything else (or
 * {@code Connection: close}) reconnects.
 */
final class KeepAliveHttp implements AutoCloseable {
    /** A POST's answer: its status and its body as text. */
    record Answer(int status, String body) {}

    private final URI uri;
    private final String authorization;
    private final byte[] request;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    /** {@code uri}: the resource {@link #send()} GETs (its host and port are the connection's for {@link #post} too). */
    KeepAliveHttp(URI uri, String authorization) {
        this.uri = uri;
        this.authorization = authorization;
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        this.request = ("GET " + target + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\nAuthorization: " + authorization
                + "\r\nAccept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends the GET and reads the whole answer; returns its status. */
    int send() throws IOException {
        return exchange(request, null);
    }

    /** POSTs {@code json} to {@code path} on the same host and returns the answer with its body. */
    Answer post(String path, byte[] json) throws IOException {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\nAuthorization: " + authorization
                + "\r\nAccept: application/json\r\nContent-Type: application/json\r\nContent-Length: " + json.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] whole = new byte[head.length + json.length];
        System.arraycopy(head, 0, whole, 0, head.length);
        System.arraycopy(json, 0, whole, head.length, json.length);
        ByteArrayOutputStream body = new ByteArrayOutputStream(1024);
        int status = exchange(whole, body);
        return new Answer(status, body.toString(StandardCharsets.UTF_8));
    }

    private int exchange(byte[] bytes, ByteArrayOutputStream body) throws IOException {
        if (socket == null) {
            connect();
        }
        try {
            out.write(bytes);
            out.flush();
            return readAnswer(body);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    /** Reads one answer; its body goes to {@code body}, or is skipped when that is null. */
    private int readAnswer(ByteArrayOutputStream body) throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) length = Long.parseLong(lower.substring(15).trim());
            else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
            else if (lower.startsWith("connection:") && lower.contains("close")) close = true;
        }
        if (chunked) {
            for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0; size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                take(size, body);
                line();
            }
            for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                // trailers are not used
            }
        } else if (length >= 0) {
            take(length, body);
        } else {
            close = true; // body up to the end of the connection: nothing to reuse
        }
        if (close) {
            close();
        }
        return status;
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) throw new IOException("connection closed mid-answer");
            if (b != '\r') line.append((char) b);
        }
        return line.toString();
    }

    private void take(long bytes, ByteArrayOutputStream body) throws IOException {
        if (body == null) {
            skip(bytes);
            return;
        }
        for (long left = bytes; left > 0; left--) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed mid-body");
            body.write(b);
        }
    }

    private void skip(long bytes) throws IOException {
        for (long left = bytes; left > 0; ) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) throw new IOException("connection closed mid-body");
                skipped = 1;
            }
            left -= skipped;
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do for a connection we drop
            }
            socket = null;
        }
    }
}
