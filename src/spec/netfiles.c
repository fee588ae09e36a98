/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "spec/netfiles.h"
#include "spec/netaddr.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool good_name(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	return len > 0 && len <= 253 && name[0] != '-' && name[0] != '.' &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == len;
}

static void entry(FILE *f, const struct nb_hosts_entry *e)
{
	char a[NB_IP4_STRLEN];
	bool any = false;

	for (size_t i = 0; i < 2; i++) {
		if (!good_name(e->names[i]) || (i == 1 && e->names[0] && strcmp(e->names[0], e->names[1]) == 0))
			continue;
		if (!any)
			fprintf(f, "%s", nb_ip4_format(e->addr, a));
		fprintf(f, "\t%s", e->names[i]);
		any = true;
	}
	if (any)
		fputc('\n', f);
}

char *nb_hosts_render(const struct nb_hosts_entry *self, uint32_t gateway,
		      const struct nb_hosts_entry *peers, size_t n_peers)
{
	char *text = NULL, a[NB_IP4_STRLEN];
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return NULL;
	fputs("127.0.0.1\tlocalhost\n"
	      "::1\tlocalhost ip6-localhost ip6-loopback\n", f);
	entry(f, self);
	fprintf(f, "%s\t%s\n", nb_ip4_format(gateway, a), NB_HOSTS_GATEWAY_NAME);
	for (size_t i = 0; i < n_peers; i++)
		entry(f, &peers[i]);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* Is LINE (without its newline) "nameserver ADDR" with a loopback ADDR? */
static bool loopback_nameserver(const char *line, size_t len)
{
	char addr[64];
	size_t i = 0, k = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (len - i < 10 || strncmp(line + i, "nameserver", 10) != 0)
		return false;
	i += 10;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	while (i < len && k < sizeof(addr) - 1 && line[i] != ' ' && line[i] != '\t' && line[i] != '#')
		addr[k++] = line[i++];
	addr[k] = '\0';
	return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0 ||
	       strcmp(addr, "0:0:0:0:0:0:0:1") == 0;
}

static bool is_nameserver(const char *line, size_t len)
{
	while (len && (*line == ' ' || *line == '\t'))
		line++, len--;
	return len > 10 && strncmp(line, "nameserver", 10) == 0 && (line[10] == ' ' || line[10] == '\t');
}

char *nb_resolv_filter(const char *text, size_t len, size_t *ret_left)
{
	char *out = malloc(len + 2);   /* a newline added to the last line, and the NUL */
	size_t o = 0;

	*ret_left = 0;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; ) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t l = nl ? (size_t)(nl - (text + i)) : len - i;

		if (!loopback_nameserver(text + i, l)) {
			if (is_nameserver(text + i, l))
				(*ret_left)++;
			memcpy(out + o, text + i, l);
			o += l;
			out[o++] = '\n';
		}
		i += l + (nl ? 1 : 0);
	}
	out[o] = '\0';
	return out;
}
