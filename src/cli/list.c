/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* list.c: `nsbox list [--format table|json] [--quiet]`. */
#include "cli/commands.h"
#include "base/strutil.h"
#include "runtime/container.h"
#include "spec/cli_args.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

static void print_json(const struct nb_container_entry *list, size_t n)
{
	json_t *arr = json_array();
	char *text;

	for (size_t i = 0; i < n; i++) {
		const struct nb_state *st = &list[i].state;
		json_t *o = json_object();

		json_object_set_new(o, "ociVersion", json_string("1.2.0"));
		json_object_set_new(o, "id", json_string(st->id));
		json_object_set_new(o, "pid", json_integer(list[i].status == NB_STATUS_STOPPED ? 0 : st->pid));
		json_object_set_new(o, "status", json_string(nb_status_name(list[i].status)));
		json_object_set_new(o, "bundle", json_string(st->bundle));
		json_object_set_new(o, "created", json_string(st->created));
		json_object_set_new(o, "owner", json_integer(st->owner));
		json_array_append_new(arr, o);
	}
	text = json_dumps(arr, JSON_COMPACT);
	printf("%s\n", text ? text : "[]");
	free(text);
	json_decref(arr);
}

int nb_cmd_list(const struct nb_globals *g, int argc, char *argv[])
{
	struct nb_container_entry *list;
	struct nb_error err = { 0 };
	struct nb_list_args a;
	size_t n;

	if (nb_list_parse_args(argc, argv, &a, &err) < 0)
		return nb_cli_fail(&err, "list ");
	if (a.help) {
		printf("Usage: nsbox list [--format table|json] [--quiet]\n\nList containers.\n");
		return 0;
	}
	if (nb_container_list(g->root, &list, &n, &err) < 0)
		return nb_cli_fail(&err, NULL);
	if (a.json)
		print_json(list, n);
	else if (a.quiet)
		for (size_t i = 0; i < n; i++)
			printf("%s\n", list[i].state.id);
	else {
		printf("%-20s %-8s %-10s %-40s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED");
		for (size_t i = 0; i < n; i++)
			printf("%-20s %-8d %-10s %-40s %s\n", list[i].state.id,
			       list[i].status == NB_STATUS_STOPPED ? 0 : (int)list[i].state.pid,
			       nb_status_name(list[i].status), list[i].state.bundle, list[i].state.created);
	}
	nb_container_list_free(list, n);
	return 0;
}
