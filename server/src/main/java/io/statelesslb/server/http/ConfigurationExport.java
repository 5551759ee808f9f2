package io.statelesslb.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.statelesslb.api.codec.Json;
import io.statelesslb.domain.event.ConfigurationEvent;
import io.statelesslb.domain.event.GatewayDefined;
import io.statelesslb.domain.event.LoadBalancerConfigured;
import io.statelesslb.domain.model.GatewayOptions;
import io.statelesslb.domain.model.Target;
import io.statelesslb.domain.state.DefiningEvents;
import io.statelesslb.domain.state.State;
import java.util.List;

/**
 * The state written out as the configuration file {@code slb apply -f} takes ({@code examples/seed-scenario.yaml}'s
 * format): applied to the same state it changes nothing. Definitions are the events that define each object, with
 * the load balancer's settings and each gateway's session options in the file's own words.
 */
final class ConfigurationExport {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // "4000" stays a string (a port range, as the file writes it), not the number 4000.
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private ConfigurationExport() {
    }

    /**
     * @param targets whether to list the registered targets too (as static targets: applying the file registers
     *                them if they are missing)
     * @return the configuration that {@code state} holds, as YAML
     */
    static String yaml(State state, boolean targets) {
        ObjectNode document = Json.mapper().createObjectNode();
        DefiningEvents.trench(state).forEach(trench -> document.put("trench", trench.name()));
        DefiningEvents.loadBalancer(state).forEach(settings -> document.set("loadBalancer", loadBalancer(settings)));
        document.set("conduits", definitions(DefiningEvents.conduits(state)));
        document.set("streams", definitions(DefiningEvents.streams(state)));
        document.set("vips", definitions(DefiningEvents.vips(state)));
        document.set("flows", definitions(DefiningEvents.flows(state)));
        ArrayNode gateways = document.putArray("gateways");
        DefiningEvents.gateways(state).forEach(gateway -> gateways.add(gateway(gateway)));
        document.set("attractors", definitions(DefiningEvents.attractors(state)));
        if (targets) {
            ArrayNode listed = document.putArray("targets");
            state.targets().values().flatMap(byId -> byId.values()).forEach(target -> listed.add(target(target)));
        }
        try {
            return YAML.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the configuration cannot be written as YAML: " + e.getOriginalMessage(),
                    e);
        }
    }

    private static ArrayNode definitions(List<? extends ConfigurationEvent> events) {
        ArrayNode list = Json.mapper().createArrayNode();
        for (ConfigurationEvent event : events) {
            // The name first, as a person writes it; then the fields in the order the API gives them.
            ObjectNode fields = Json.mapper().valueToTree(event);
            ObjectNode entry = Json.mapper().createObjectNode().set("name", fields.remove("name"));
            entry.setAll(fields);
            list.add(entry);
        }
        return list;
    }

    /** The settings as the file's {@code loadBalancer:} section names them (queues as FIRST:LAST). */
    private static ObjectNode loadBalancer(LoadBalancerConfigured settings) {
        ObjectNode section = Json.mapper().createObjectNode();
        section.put("queues", settings.firstQueue() + ":" + (settings.firstQueue() + settings.queues() - 1));
        section.put("queueLength", settings.queueLength());
        section.put("queueBypass", settings.queueBypass());
        section.put("queueFanout", settings.queueFanout());
        section.put("failOpen", settings.failOpen());
        section.put("promiscuousPing", settings.promiscuousPing());
        section.put("noLbFwmark", settings.noLbFwmark());
        section.put("noTargetsFwmark", settings.noTargetsFwmark());
        section.put("sctpUdpEncapsulationPort", settings.sctpUdpEncapsulationPort());
        return section;
    }

    /** A gateway with its session options beside its other fields, as the file has them (defaults left out). */
    private static ObjectNode gateway(GatewayDefined gateway) {
        ObjectNode entry = Json.mapper().createObjectNode();
        entry.put("name", gateway.name());
        entry.put("address", gateway.address().toString());
        entry.put("interfaceName", gateway.interfaceName());
        entry.set("protocol", Json.mapper().valueToTree(gateway.protocol()));
        entry.put("bfd", gateway.bfd());
        entry.put("remoteAsn", gateway.remoteAsn());
        entry.put("localAsn", gateway.localAsn());
        GatewayOptions options = gateway.options();
        GatewayOptions defaults = GatewayOptions.DEFAULTS;
        putUnlessDefault(entry, "localPort", options.localPort(), defaults.localPort());
        putUnlessDefault(entry, "remotePort", options.remotePort(), defaults.remotePort());
        putUnlessDefault(entry, "holdTime", options.holdTime(), defaults.holdTime());
        putUnlessDefault(entry, "bfdMinTx", options.bfdMinTxMillis(), defaults.bfdMinTxMillis());
        putUnlessDefault(entry, "bfdMinRx", options.bfdMinRxMillis(), defaults.bfdMinRxMillis());
        putUnlessDefault(entry, "bfdMultiplier", options.bfdMultiplier(), defaults.bfdMultiplier());
        if (!options.passwordFile().isEmpty()) {
            // The file's path, never its content: the password stays where the operator keeps it.
            entry.put("passwordFile", options.passwordFile());
        }
        return entry;
    }

    private static void putUnlessDefault(ObjectNode entry, String field, int value, int defaultValue) {
        if (value != defaultValue) {
            entry.put(field, value);
        }
    }

    private static ObjectNode target(Target target) {
        ObjectNode entry = Json.mapper().createObjectNode();
        entry.put("stream", target.stream());
        entry.put("identifier", target.identifier());
        ArrayNode ips = entry.putArray("ips");
        target.ips().forEach(ip -> ips.add(ip.toString()));
        return entry;
    }
}
