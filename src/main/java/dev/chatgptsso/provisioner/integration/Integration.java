package dev.chatgptsso.provisioner.integration;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One ChatGPT SSO connection in one authentik instance, with the primary key of every authentik
 * object it created (those, and only those, are ours to delete). Never holds a client secret. A row of
 * {@code integration}, read and written by {@link IntegrationStore}.
 */
public class Integration {
    public UUID id;

    public String tenantId;

    public UUID instanceId;

    public String protocol;

    public IntegrationStatus status;

    public String appName;

    public String appSlug;

    public String appGroup;

    public String policyEngineMode;

    public String authorizationFlowSlug;

    public UUID signingKeyId;

    public String authentikVersion;

    public String providerName;

    public String clientId;

    public UUID applicationPk;

    public Integer providerPk;

    public List<String> propertyMappingPks = new ArrayList<>();

    public String issuer;

    public String discoveryEndpoint;

    public List<String> redirectUris = new ArrayList<>();

    public String loginRedirectUri;

    public String failureStep;

    public Integer failureStatus;

    public String failureDetail;

    public boolean cleanupPending;

    /** Made by hand and taken over: its authentik objects are never deleted by this service, only released. */
    public boolean adopted;

    public UUID signingKeyPk;

    public String samlEntityId;

    public String samlSsoUrl;

    public String samlSloUrl;

    public String samlMetadataUrl;

    public String samlAcsUrl;

    public String samlAudience;

    public String samlCertificatePem;

    /** SHA-256 fingerprint of the signing certificate when the integration was finalised. */
    public String certificateFingerprint;

    /** An operation started and not yet finished: {@code finalise} or {@code delete}; the reconciler completes it. */
    public String pendingOperation;

    public String pendingTarget;

    /** Set when the record is inserted; afterwards only the lease statements of {@link IntegrationStore} change it (its update leaves it alone). */
    public String leaseOwner;

    /**
     * Like {@link #leaseOwner}: not written by the record's update, so an update written from a read taken before another
     * process took or renewed the lease cannot put the old lease back (the lease statements do not change the version).
     */
    public OffsetDateTime leaseUntil;

    public OffsetDateTime deletedAt;

    public OffsetDateTime createdAt;

    public OffsetDateTime updatedAt;

    /** Moves on with every write of the record but the lease statements; an update is checked against it. */
    public long rowVersion;
}
