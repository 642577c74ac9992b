package dev.chatgptsso.provisioner.authentik;

/** A call stopped before it left the service: the destination is not an address this service may call. */
public final class OutboundAddressException extends RuntimeException {
    public OutboundAddressException(String message) {
        super(message, null, false, false);
    }
}
