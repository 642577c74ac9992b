-- SAML and the integration lifecycle (verify, rotate, delete, adopt, audit actor), idempotency
-- records of their own, cross-process leases, per-instance CA bundles and owned mappings.

-- mappings the service owns on an instance, by purpose: {"oidc-profile": "<pk>", "saml-given-name": …}
ALTER TABLE authentik_instance ADD COLUMN owned_mappings JSONB NOT NULL DEFAULT '{}';
UPDATE authentik_instance
   SET owned_mappings = jsonb_build_object('oidc-profile', profile_mapping_pk::text)
 WHERE profile_mapping_pk IS NOT NULL;
ALTER TABLE authentik_instance DROP COLUMN profile_mapping_pk;
ALTER TABLE authentik_instance DROP COLUMN profile_mapping_name;
-- optional PEM bundle of CAs that the instance's TLS certificate must chain to
ALTER TABLE authentik_instance ADD COLUMN ca_bundle_pem TEXT;

-- made by hand and taken over: never deleted in authentik, only released
ALTER TABLE integration ADD COLUMN adopted BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE integration ADD COLUMN signing_key_pk UUID;
ALTER TABLE integration ADD COLUMN saml_entity_id VARCHAR(2000);
ALTER TABLE integration ADD COLUMN saml_sso_url VARCHAR(2000);
ALTER TABLE integration ADD COLUMN saml_slo_url VARCHAR(2000);
ALTER TABLE integration ADD COLUMN saml_metadata_url VARCHAR(2000);
ALTER TABLE integration ADD COLUMN saml_acs_url VARCHAR(2000);
ALTER TABLE integration ADD COLUMN saml_audience VARCHAR(2000);
ALTER TABLE integration ADD COLUMN saml_certificate_pem TEXT;
-- sha-256 fingerprint of the signing certificate when the integration was finalised
ALTER TABLE integration ADD COLUMN certificate_fingerprint VARCHAR(200);
-- an operation that was started and must be finished (or undone) even if this process dies:
-- finalise (pending_target = the URI or ACS/audience as JSON), delete
ALTER TABLE integration ADD COLUMN pending_operation VARCHAR(30);
ALTER TABLE integration ADD COLUMN pending_target TEXT;
-- which process works on the record, and until when (a crashed holder frees it by expiry)
ALTER TABLE integration ADD COLUMN lease_owner VARCHAR(100);
ALTER TABLE integration ADD COLUMN lease_until TIMESTAMPTZ;
ALTER TABLE integration ADD COLUMN deleted_at TIMESTAMPTZ;

-- a record being deleted still holds its slug: its objects may still exist in authentik
DROP INDEX integration_live_slug_unique;
CREATE UNIQUE INDEX integration_live_slug_unique ON integration (instance_id, app_slug)
    WHERE status IN ('provisioning', 'awaiting_finalise', 'active', 'deleting');
CREATE INDEX integration_unfinished ON integration (status, lease_until)
    WHERE status IN ('provisioning', 'deleting') OR pending_operation IS NOT NULL;

-- Idempotency-Key of create, finalise, rotate-secret and delete, per tenant, with the first answer
-- (secrets removed) so a repeat returns it unchanged.
CREATE TABLE idempotency_record (
    tenant_id            VARCHAR(63)   NOT NULL REFERENCES tenant (id),
    idem_key             VARCHAR(200)  NOT NULL,
    operation            VARCHAR(30)   NOT NULL,
    request_fingerprint  VARCHAR(64)   NOT NULL,
    integration_id       UUID,
    state                VARCHAR(20)   NOT NULL,
    response_status      INTEGER,
    response_body        JSONB,
    created_at           TIMESTAMPTZ   NOT NULL,
    expires_at           TIMESTAMPTZ   NOT NULL,
    PRIMARY KEY (tenant_id, idem_key)
);
CREATE INDEX idempotency_record_expiry ON idempotency_record (expires_at);

INSERT INTO idempotency_record (tenant_id, idem_key, operation, request_fingerprint, integration_id, state,
                                response_status, response_body, created_at, expires_at)
SELECT tenant_id, idempotency_key, 'create', request_fingerprint, id, 'completed', NULL, NULL, created_at,
       created_at + INTERVAL '1 day'
  FROM integration
 WHERE idempotency_key IS NOT NULL;
DROP INDEX integration_idempotency_key_unique;
ALTER TABLE integration DROP COLUMN idempotency_key;
ALTER TABLE integration DROP COLUMN request_fingerprint;

-- who asked (API key id or JWT subject) for each logged step
ALTER TABLE integration_step ADD COLUMN actor VARCHAR(200);
