package io.crossgen.transport.ssh;

import com.jcraft.jsch.Channel;
import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * Reaches the next hop of a ProxyJump chain through a {@code direct-tcpip} channel of the previous hop's
 * session, as {@code ssh -J} does. The next hop's key is verified end to end by its own session; the jump
 * host only relays encrypted bytes.
 *
 * <p>Pitfall: JSch's keepalive relies on a socket read timeout, and a tunnelled session has no socket, so
 * only the outermost hop's session sends keepalives. That keeps the tunnel itself alive, and a dead tunnel
 * ends every session inside it.
 */
final class JumpProxy implements Proxy {
    private final Session via;
    private Channel channel;
    private InputStream in;
    private OutputStream out;

    JumpProxy(Session via) {
        this.via = via;
    }

    @Override
    public void connect(SocketFactory socketFactory, String host, int port, int timeout) throws Exception {
        channel = via.getStreamForwarder(host, port);
        in = channel.getInputStream();
        out = channel.getOutputStream();
        channel.connect(timeout);
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
    }

    @Override
    public Socket getSocket() {
        return null;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.disconnect();
        }
        try {
            if (in != null) {
                in.close();
            }
        } catch (IOException e) {
            // closing a dead tunnel: nothing to report
        }
    }
}
