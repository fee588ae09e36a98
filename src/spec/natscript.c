/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/natscript.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T "inet " NB_NAT_TABLE

int nb_nat_op_parse(const char *word, struct nb_nat_op *ret, struct nb_error *err)
{
	char proto[4], a[NB_IP4_STRLEN], ha[NB_IP4_STRLEN];
	unsigned hport, port;
	int used = 0;

	memset(ret, 0, sizeof(*ret));
	if (strcmp(word, "table") == 0) {
		ret->kind = NB_NAT_CREATE;
		return 0;
	}
	if (strcmp(word, "drop") == 0) {
		ret->kind = NB_NAT_DROP;
		return 0;
	}
	if (word[0] != '+' && word[0] != '-')
		goto bad;
	ret->add = word[0] == '+';
	if (strncmp(word + 1, "masq:", 5) == 0) {
		ret->kind = NB_NAT_MASQ;
		if (nb_ip4_parse(word + 6, &ret->addr) < 0)
			goto bad;
		return 0;
	}
	if (sscanf(word + 1, "%3[a-z]:%15[0-9.]:%u:%15[0-9.]:%u%n", proto, ha, &hport, a, &port, &used) != 5 ||
	    word[1 + used] != '\0' || hport < 1 || hport > 65535 || port < 1 || port > 65535 ||
	    nb_ip4_parse(ha, &ret->pub.host_addr) < 0 || nb_ip4_parse(a, &ret->addr) < 0)
		goto bad;
	if (strcmp(proto, "tcp") == 0)
		ret->pub.proto = NB_PROTO_TCP;
	else if (strcmp(proto, "udp") == 0)
		ret->pub.proto = NB_PROTO_UDP;
	else
		goto bad;
	ret->kind = NB_NAT_PUBLISH;
	ret->pub.host_port = (uint16_t)hport;
	ret->pub.port = (uint16_t)port;
	return 0;
bad:
	return nb_error_usage(err, "'%s': not an operation (table, drop, +masq:ADDR, "
			      "+tcp:HADDR:HPORT:ADDR:PORT, +udp:..., or - to delete)", word);
}

char *nb_nat_op_format(const struct nb_nat_op *op, char *buf)
{
	char a[NB_IP4_STRLEN], ha[NB_IP4_STRLEN];

	switch (op->kind) {
	case NB_NAT_CREATE: snprintf(buf, NB_NAT_OP_MAX, "table"); break;
	case NB_NAT_DROP: snprintf(buf, NB_NAT_OP_MAX, "drop"); break;
	case NB_NAT_MASQ:
		snprintf(buf, NB_NAT_OP_MAX, "%cmasq:%s", op->add ? '+' : '-', nb_ip4_format(op->addr, a));
		break;
	case NB_NAT_PUBLISH:
		snprintf(buf, NB_NAT_OP_MAX, "%c%s:%s:%u:%s:%u", op->add ? '+' : '-',
			 op->pub.proto == NB_PROTO_UDP ? "udp" : "tcp", nb_ip4_format(op->pub.host_addr, ha),
			 op->pub.host_port, nb_ip4_format(op->addr, a), op->pub.port);
		break;
	}
	return buf;
}

/* The chains' rules: DNAT of local addresses through the maps, in the
 * nat hooks where locally made (output) and arriving (prerouting)
 * connections pass. */
static void dnat_rules(FILE *f)
{
	static const char *const protos[] = { "tcp", "udp" };

	for (size_t i = 0; i < 2; i++) {
		fprintf(f, "\t\tfib daddr type local dnat ip to ip daddr . %s dport map @pub4a_%s\n",
			protos[i], protos[i]);
		fprintf(f, "\t\tfib daddr type local dnat ip to %s dport map @pub4_%s\n", protos[i], protos[i]);
	}
}

static void create_table(FILE *f)
{
	/* "add" first: the delete must find a table, whatever was there. */
	fputs("add table " T "\ndelete table " T "\n", f);
	fputs("table " T " {\n", f);
	fputs("\tset masq4 { type ipv4_addr; }\n", f);
	fputs("\tmap pub4_tcp { type inet_service : ipv4_addr . inet_service; }\n", f);
	fputs("\tmap pub4_udp { type inet_service : ipv4_addr . inet_service; }\n", f);
	fputs("\tmap pub4a_tcp { type ipv4_addr . inet_service : ipv4_addr . inet_service; }\n", f);
	fputs("\tmap pub4a_udp { type ipv4_addr . inet_service : ipv4_addr . inet_service; }\n", f);
	fputs("\tchain guard {\n\t\ttype filter hook prerouting priority raw; policy accept;\n", f);
	fprintf(f, "\t\tiifgroup %" PRIu32 " ip daddr 127.0.0.0/8 drop\n\t}\n", NB_NET_IFGROUP);
	fputs("\tchain prerouting {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n", f);
	dnat_rules(f);
	fputs("\t}\n\tchain output {\n\t\ttype nat hook output priority -100; policy accept;\n", f);
	dnat_rules(f);
	fputs("\t}\n\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n", f);
	fprintf(f, "\t\tip saddr 127.0.0.0/8 oifgroup %" PRIu32 " masquerade\n", NB_NET_IFGROUP);
	fprintf(f, "\t\tip saddr @masq4 oifgroup != %" PRIu32 " masquerade\n", NB_NET_IFGROUP);
	fputs("\t}\n}\n", f);
}

static void element(FILE *f, const struct nb_nat_op *op)
{
	const char *proto = op->pub.proto == NB_PROTO_UDP ? "udp" : "tcp";
	const char *verb = op->add ? "add" : "delete";
	char a[NB_IP4_STRLEN], ha[NB_IP4_STRLEN];

	nb_ip4_format(op->addr, a);
	if (op->kind == NB_NAT_MASQ) {
		fprintf(f, "%s element " T " masq4 { %s }\n", verb, a);
		return;
	}
	if (op->pub.host_addr)
		fprintf(f, "%s element " T " pub4a_%s { %s . %u : %s . %u }\n", verb, proto,
			nb_ip4_format(op->pub.host_addr, ha), op->pub.host_port, a, op->pub.port);
	else
		fprintf(f, "%s element " T " pub4_%s { %u : %s . %u }\n", verb, proto, op->pub.host_port,
			a, op->pub.port);
}

char *nb_nat_script(const struct nb_nat_op *ops, size_t n)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		switch (ops[i].kind) {
		case NB_NAT_CREATE: create_table(f); break;
		case NB_NAT_DROP: fputs("add table " T "\ndelete table " T "\n", f); break;
		case NB_NAT_MASQ: case NB_NAT_PUBLISH: element(f, &ops[i]); break;
		}
	}
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}
