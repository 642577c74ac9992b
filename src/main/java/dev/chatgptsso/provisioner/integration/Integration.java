package dev.chatgptsso.provisioner.integration;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Convert;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One ChatGPT SSO connection in one authentik instance, with the primary key of every authentik
 * object it created (those, and only those, are ours to delete). Never holds a client secret.
 */
@Entity
@Table(name = "integration")
public class Integration {
    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(name = "instance_id", nullable = false)
    public UUID instanceId;

    @Column(nullable = false)
    public String protocol;

    @Column(nullable = false)
    @Convert(converter = IntegrationStatus.Converter.class)
    public IntegrationStatus status;

    @Column(name = "app_name", nullable = false)
    public String appName;

    @Column(name = "app_slug", nullable = false)
    public String appSlug;

    @Column(name = "app_group")
    public String appGroup;

    @Column(name = "policy_engine_mode", nullable = false)
    public String policyEngineMode;

    @Column(name = "authorization_flow_slug")
    public String authorizationFlowSlug;

    @Column(name = "signing_key_id")
    public UUID signingKeyId;

    @Column(name = "authentik_version")
    public String authentikVersion;

    @Column(name = "provider_name")
    public String providerName;

    @Column(name = "client_id")
    public String clientId;

    @Column(name = "application_pk")
    public UUID applicationPk;

    @Column(name = "provider_pk")
    public Integer providerPk;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "property_mapping_pks", nullable = false)
    public List<String> propertyMappingPks = new ArrayList<>();

    public String issuer;

    @Column(name = "discovery_endpoint")
    public String discoveryEndpoint;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "redirect_uris", nullable = false)
    public List<String> redirectUris = new ArrayList<>();

    @Column(name = "login_redirect_uri")
    public String loginRedirectUri;

    @Column(name = "failure_step")
    public String failureStep;

    @Column(name = "failure_status")
    public Integer failureStatus;

    @Column(name = "failure_detail")
    public String failureDetail;

    @Column(name = "cleanup_pending", nullable = false)
    public boolean cleanupPending;

    /** Made by hand and taken over: its authentik objects are never deleted by this service, only released. */
    @Column(nullable = false)
    public boolean adopted;

    @Column(name = "signing_key_pk")
    public UUID signingKeyPk;

    @Column(name = "saml_entity_id")
    public String samlEntityId;

    @Column(name = "saml_sso_url")
    public String samlSsoUrl;

    @Column(name = "saml_slo_url")
    public String samlSloUrl;

    @Column(name = "saml_metadata_url")
    public String samlMetadataUrl;

    @Column(name = "saml_acs_url")
    public String samlAcsUrl;

    @Column(name = "saml_audience")
    public String samlAudience;

    @Column(name = "saml_certificate_pem")
    public String samlCertificatePem;

    /** SHA-256 fingerprint of the signing certificate when the integration was finalised. */
    @Column(name = "certificate_fingerprint")
    public String certificateFingerprint;

    /** An operation started and not yet finished: {@code finalise} or {@code delete}; the reconciler completes it. */
    @Column(name = "pending_operation")
    public String pendingOperation;

    @Column(name = "pending_target")
    public String pendingTarget;

    /** Set when the record is inserted; afterwards only the lease statements of {@link IntegrationStore} change it. */
    @Column(name = "lease_owner", updatable = false)
    public String leaseOwner;

    /**
     * Like {@link #leaseOwner}: not updatable through the entity, so an update written from a read taken before another
     * process took or renewed the lease cannot put the old lease back (the lease statements do not change the version).
     */
    @Column(name = "lease_until", updatable = false)
    public OffsetDateTime leaseUntil;

    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Version
    @Column(name = "row_version", nullable = false)
    public long rowVersion;
}
