package dev.chatgptsso.provisioner.tenant;

import java.time.OffsetDateTime;

/** An organisation whose authentik instances this service provisions (a row of {@code tenant}). */
public class Tenant {
    public String id;

    public String displayName;

    public OffsetDateTime createdAt;
}
