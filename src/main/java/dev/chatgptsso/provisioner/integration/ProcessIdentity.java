package dev.chatgptsso.provisioner.integration;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.util.UUID;

/** Names this process in leases: host, pid and a random part, so two replicas (or a restart) never share a name. */
@ApplicationScoped
class ProcessIdentity {
    private final String id;

    ProcessIdentity() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        String name = host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
        // a lease owner is this name and an operation's number (lease_owner is VARCHAR(100))
        this.id = name.length() > 78 ? name.substring(name.length() - 78) : name;
    }

    String id() {
        return id;
    }
}
