package dev.chatgptsso.provisioner.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * Puts the tenant and integration of a request into the logging context ({@code tenantId},
 * {@code integrationId}), so every log line of the request names them; a create adds its new
 * integration id itself. Only well-formed ids are taken, so a hostile path cannot forge log text.
 */
@Provider
public class LogContextFilter implements ContainerRequestFilter, ContainerResponseFilter {
    public static final String TENANT = "tenantId";
    public static final String INTEGRATION = "integrationId";
    private static final Pattern TENANT_ID = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$");
    private static final Pattern UUID = Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    @Override
    public void filter(ContainerRequestContext request) {
        MultivaluedMap<String, String> params = request.getUriInfo().getPathParameters();
        String tenant = params.getFirst("tenantId");
        if (tenant != null && TENANT_ID.matcher(tenant).matches()) {
            MDC.put(TENANT, tenant);
        }
        String integration = params.getFirst("integrationId");
        if (integration != null && UUID.matcher(integration).matches()) {
            MDC.put(INTEGRATION, integration.toLowerCase());
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        MDC.remove(TENANT);
        MDC.remove(INTEGRATION);
    }
}
