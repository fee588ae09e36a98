/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/netspec.h"
#include "base/cleanup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char modes_list[] = "none, host, ns:PATH, netns:NAME, container:ID, bridge[:NAME], "
				 "pasta, slirp4netns";

const char *nb_net_mode_name(enum nb_net_mode mode)
{
	switch (mode) {
	case NB_NET_UNSET: return "none";    /* the default */
	case NB_NET_NONE: return "none";
	case NB_NET_HOST: return "host";
	case NB_NET_NS: return "ns";
	case NB_NET_NETNS: return "netns";
	case NB_NET_CONTAINER: return "container";
	case NB_NET_BRIDGE: return "bridge";
	case NB_NET_PASTA: return "pasta";
	case NB_NET_SLIRP: return "slirp4netns";
	}
	return "?";
}

void nb_net_spec_free(struct nb_net_spec *net)
{
	free(net->network);
	free(net->container);
	free(net->name);
	net->network = net->container = net->name = NULL;
}

bool nb_net_mode_new_ns(enum nb_net_mode mode)
{
	return mode == NB_NET_NONE || mode == NB_NET_BRIDGE || mode == NB_NET_PASTA || mode == NB_NET_SLIRP;
}

int nb_net_name_check(const char *name, const char *what, struct nb_error *err)
{
	size_t len = strlen(name);

	if (len == 0)
		return nb_error_usage(err, "%s: empty network name", what);
	if (len > NB_NET_NAME_MAX)
		return nb_error_usage(err, "%s '%s': a network (bridge) name has at most %d characters "
				      "(IFNAMSIZ)", what, name, NB_NET_NAME_MAX);
	if (name[0] == '-' || nb_streq(name, ".") || nb_streq(name, "..") ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != len)
		return nb_error_usage(err, "%s '%s': a network name is made of letters, digits, '_', "
				      "'.' and '-', and does not start with '-'", what, name);
	return 0;
}

static int set_str(char **field, const char *value, struct nb_error *err)
{
	char *copy = strdup(value);

	if (!copy)
		return nb_error_set(err, ENOMEM, "out of memory");
	free(*field);
	*field = copy;
	return 0;
}

int nb_net_parse_mode(const char *arg, struct nb_net_spec *net, struct nb_error *err)
{
	const char *colon = strchr(arg, ':');
	size_t head = colon ? (size_t)(colon - arg) : strlen(arg);
	const char *rest = colon ? colon + 1 : NULL;

#define IS(word) (head == strlen(word) && strncmp(arg, word, head) == 0)
	if (IS("none") && !rest)
		net->mode = NB_NET_NONE;
	else if (IS("host") && !rest)
		net->mode = NB_NET_HOST;
	else if (IS("pasta") && !rest)
		net->mode = NB_NET_PASTA;
	else if (IS("slirp4netns") && !rest)
		net->mode = NB_NET_SLIRP;
	else if (IS("ns") && rest) {
		if (rest[0] != '/')
			return nb_error_usage(err, "--net '%s': ns:PATH needs an absolute path", arg);
		net->mode = NB_NET_NS;
	} else if (IS("netns") && rest) {
		if (rest[0] == '\0' || strchr(rest, '/') || nb_streq(rest, ".") || nb_streq(rest, "..") ||
		    strlen(rest) > 255)
			return nb_error_usage(err, "--net '%s': not a valid namespace name", arg);
		net->mode = NB_NET_NETNS;
	} else if (IS("container") && rest) {
		if (rest[0] == '\0')
			return nb_error_usage(err, "--net '%s': container:ID needs an id", arg);
		net->mode = NB_NET_CONTAINER;
		return set_str(&net->container, rest, err);
	} else if (IS("bridge")) {
		int r;

		if (rest && (r = nb_net_name_check(rest, "--net bridge", err)) < 0)
			return r;
		net->mode = NB_NET_BRIDGE;
		return set_str(&net->network, rest ? rest : NB_NET_DEFAULT_BRIDGE, err);
	} else {
		return nb_error_usage(err, "--net '%s': unknown mode (%s)", arg, modes_list);
	}
#undef IS
	return 0;
}

int nb_net_ns_path(const char *arg, const struct nb_net_spec *net, char *buf, size_t size,
		   struct nb_error *err)
{
	const char *rest = strchr(arg, ':');
	int n = 0;

	buf[0] = '\0';
	if (net->mode == NB_NET_NS)
		n = snprintf(buf, size, "%s", rest + 1);
	else if (net->mode == NB_NET_NETNS)
		n = snprintf(buf, size, "/run/netns/%s", rest + 1);
	if (n < 0 || (size_t)n >= size)
		return nb_error_usage(err, "--net '%s': path too long", arg);
	return 0;
}

static int parse_port(const char *text, size_t len, uint16_t *ret)
{
	unsigned v = 0;

	if (len == 0 || len > 5 || text[0] == '0')
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned)(text[i] - '0');
	}
	if (v < 1 || v > 65535)
		return -ERANGE;
	*ret = (uint16_t)v;
	return 0;
}

int nb_publish_parse(const char *text, struct nb_publish *ret, struct nb_error *err)
{
	const char *hint = "expected [HOST_ADDR:]HOST_PORT:PORT[/tcp|/udp]";
	_cleanup_free_ char *buf = strdup(text);
	char *slash, *parts[3];
	size_t n = 0;
	int r;

	if (!buf)
		return nb_error_set(err, ENOMEM, "out of memory");
	memset(ret, 0, sizeof(*ret));
	ret->proto = NB_PROTO_TCP;
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		if (nb_streq(slash + 1, "udp"))
			ret->proto = NB_PROTO_UDP;
		else if (!nb_streq(slash + 1, "tcp"))
			return nb_error_usage(err, "--publish '%s': unknown protocol '%s' (tcp or udp)",
					      text, slash + 1);
	}
	for (char *p = buf; n < 3; n++) {
		char *c = strchr(p, ':');

		parts[n] = p;
		if (!c) {
			n++;
			break;
		}
		*c = '\0';
		p = c + 1;
		if (n == 2)
			return nb_error_usage(err, "--publish '%s': %s", text, hint);
	}
	if (n < 2)
		return nb_error_usage(err, "--publish '%s': %s", text, hint);
	if (n == 3 && nb_ip4_parse(parts[0], &ret->host_addr) < 0)
		return nb_error_usage(err, "--publish '%s': '%s' is not an IPv4 address", text, parts[0]);
	for (size_t i = n - 2; i < n; i++) {
		uint16_t *port = i == n - 2 ? &ret->host_port : &ret->port;

		r = parse_port(parts[i], strlen(parts[i]), port);
		if (r == -ERANGE || (r < 0 && strspn(parts[i], "0123456789") == strlen(parts[i]) && parts[i][0]))
			return nb_error_usage(err, "--publish '%s': port '%s' is out of range (1 to 65535)",
					      text, parts[i]);
		if (r < 0)
			return nb_error_usage(err, "--publish '%s': '%s' is not a port number", text, parts[i]);
	}
	return 0;
}

char *nb_publish_format(const struct nb_publish *p, char *buf, size_t size)
{
	char a[NB_IP4_STRLEN];

	if (p->host_addr)
		snprintf(buf, size, "%s:%u:%u/%s", nb_ip4_format(p->host_addr, a), p->host_port, p->port,
			 p->proto == NB_PROTO_UDP ? "udp" : "tcp");
	else
		snprintf(buf, size, "%u:%u/%s", p->host_port, p->port, p->proto == NB_PROTO_UDP ? "udp" : "tcp");
	return buf;
}

bool nb_publish_clash(const struct nb_publish *a, const struct nb_publish *b)
{
	return a->proto == b->proto && a->host_port == b->host_port &&
	       (!a->host_addr || !b->host_addr || a->host_addr == b->host_addr);
}

int nb_net_add_publish(struct nb_net_spec *net, const char *text, struct nb_error *err)
{
	struct nb_publish p;
	char other[48];
	int r = nb_publish_parse(text, &p, err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < net->n_publish; i++)
		if (nb_publish_clash(&p, &net->publish[i]))
			return nb_error_usage(err, "--publish '%s': the host port is already published by '%s'",
					      text, nb_publish_format(&net->publish[i], other, sizeof(other)));
	if (net->n_publish >= NB_NET_MAX_PUBLISH)
		return nb_error_usage(err, "--publish: more than %d ports", NB_NET_MAX_PUBLISH);
	net->publish[net->n_publish++] = p;
	return 0;
}

int nb_net_check(const struct nb_net_spec *net, uid_t euid, struct nb_error *err)
{
	bool bridge = net->mode == NB_NET_BRIDGE;
	const char *mode = nb_net_mode_name(net->mode);
	char a[NB_IP4_STRLEN], s[NB_CIDR4_STRLEN];

	if (net->has_subnet && !bridge)
		return nb_error_usage(err, "--subnet needs --net bridge (the network is '%s')", mode);
	if (net->ip && !bridge)
		return nb_error_usage(err, "--ip needs --net bridge (the network is '%s')", mode);
	if (net->nat && !bridge)
		return nb_error_usage(err, "--nat needs --net bridge (the network is '%s')", mode);
	if (net->n_publish && !bridge && net->mode != NB_NET_PASTA && net->mode != NB_NET_SLIRP)
		return nb_error_usage(err, "--publish needs --net bridge, pasta or slirp4netns "
				      "(the network is '%s')", mode);
	if (net->has_subnet) {
		uint32_t first, last;

		if (net->subnet.prefix < 8 || !nb_cidr4_host_range(&net->subnet, &first, &last))
			return nb_error_usage(err, "--subnet '%s': a bridge's subnet is from /8 to /30",
					      nb_cidr4_format(&net->subnet, s));
		if (nb_ip4_is_loopback(net->subnet.addr) || (net->subnet.addr >> 28) >= 14 ||
		    net->subnet.addr == 0)
			return nb_error_usage(err, "--subnet '%s': not a unicast subnet for hosts",
					      nb_cidr4_format(&net->subnet, s));
	}
	if (net->ip && net->has_subnet) {
		uint32_t first, last;

		nb_cidr4_host_range(&net->subnet, &first, &last);
		if (!nb_cidr4_contains(&net->subnet, net->ip) || net->ip < first || net->ip > last)
			return nb_error_usage(err, "--ip '%s': not a host address of --subnet '%s'",
					      nb_ip4_format(net->ip, a), nb_cidr4_format(&net->subnet, s));
	}
	if (bridge && euid != 0)
		return nb_error_usage(err, "--net bridge needs root (a bridge and veth pairs in the host's "
				      "namespace); without root use --net pasta or slirp4netns");
	return 0;
}

bool nb_net_needs_nat_helper(const struct nb_net_spec *net)
{
	return net->mode == NB_NET_BRIDGE && (net->nat || net->n_publish);
}

bool nb_net_needs_forwarding(const struct nb_net_spec *net)
{
	if (net->mode != NB_NET_BRIDGE)
		return false;
	if (net->nat)
		return true;
	for (size_t i = 0; i < net->n_publish; i++)
		if (!nb_ip4_is_loopback(net->publish[i].host_addr))
			return true;
	return false;
}

static const char *annotation(const struct nb_strv *a, const char *key)
{
	size_t len = strlen(key);

	for (size_t i = 0; i < a->len; i++)
		if (strncmp(a->items[i], key, len) == 0 && a->items[i][len] == '=')
			return a->items[i] + len + 1;
	return NULL;
}

int nb_net_from_annotations(const struct nb_strv *annotations, bool new_netns, uid_t euid,
			    struct nb_net_spec *net, struct nb_error *err)
{
	const char *mode = annotation(annotations, NB_NET_ANNOTATION);
	const char *v;
	int r;

	if (!mode) {
		static const char *const others[] = { ".subnet", ".ip", ".publish", ".nat" };

		for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
			char key[64];

			snprintf(key, sizeof(key), NB_NET_ANNOTATION "%s", others[i]);
			if (annotation(annotations, key))
				return nb_error_set(err, EINVAL, "config.json: annotation %s needs %s", key,
						    NB_NET_ANNOTATION);
		}
		return 0;
	}
	r = nb_net_parse_mode(mode, net, err);
	if (r < 0 || (net->mode != NB_NET_BRIDGE && net->mode != NB_NET_NONE)) {
		net->mode = NB_NET_UNSET;
		return nb_error_set(err, EINVAL, "config.json: annotation " NB_NET_ANNOTATION " '%s': "
				    "expected none, bridge or bridge:NAME", mode);
	}
	if (!new_netns)
		return nb_error_set(err, EINVAL, "config.json: annotation " NB_NET_ANNOTATION " '%s' needs "
				    "a new network namespace (a linux.namespaces entry of type network "
				    "without a path)", mode);
	if ((v = annotation(annotations, NB_NET_ANNOTATION ".subnet")) &&
	    (r = nb_cidr4_parse(v, &net->subnet, NB_NET_ANNOTATION ".subnet", err)) < 0)
		return r;
	net->has_subnet = v != NULL;
	if ((v = annotation(annotations, NB_NET_ANNOTATION ".ip")) && nb_ip4_parse(v, &net->ip) < 0)
		return nb_error_set(err, EINVAL, "config.json: annotation " NB_NET_ANNOTATION ".ip '%s': "
				    "not an IPv4 address", v);
	if ((v = annotation(annotations, NB_NET_ANNOTATION ".nat"))) {
		if (!nb_streq(v, "true") && !nb_streq(v, "false"))
			return nb_error_set(err, EINVAL, "config.json: annotation " NB_NET_ANNOTATION ".nat "
					    "'%s': expected true or false", v);
		net->nat = nb_streq(v, "true");
	}
	if ((v = annotation(annotations, NB_NET_ANNOTATION ".publish"))) {
		_cleanup_free_ char *list = strdup(v);
		char *save = NULL;

		if (!list)
			return nb_error_set(err, ENOMEM, "out of memory");
		for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
			if ((r = nb_net_add_publish(net, t, err)) < 0)
				return r;
	}
	r = nb_net_check(net, euid, err);
	if (r < 0) {
		err->kind = NB_ERR_SETUP;
		return nb_error_prefix(err, "config.json: annotations " NB_NET_ANNOTATION "*");
	}
	return 0;
}
