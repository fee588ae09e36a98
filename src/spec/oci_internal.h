/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * oci_internal.h: what the config.json loader's files share.
 *
 * Every reader takes the loader's context, checks the JSON type and range of
 * one field and, if it is wrong, fills the error as
 * "config.json: PATH: must be ...", where PATH is the field's place in the
 * document ("linux.namespaces[2].type"). A member that is absent or null
 * counts as absent, as with the Go bindings every engine writes with.
 */
#ifndef NSBOX_SPEC_OCI_INTERNAL_H
#define NSBOX_SPEC_OCI_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "spec/config.h"

#define OCI_PATH_MAX 256      /* longest field path in a message */
#define OCI_BIG_MAX 64        /* integers above INT64_MAX one document may hold */

struct oci_ctx {
	struct nb_config *cfg;
	const char *file;           /* for messages: "config.json", or exec's --process file */
	const char *bundle;         /* absolute bundle directory */
	struct nb_error *err;
	/* jansson stores integers as int64: larger uint64 literals (RLIM_INFINITY
	 * is 18446744073709551615) are swapped for markers before parsing and
	 * their values kept here (see oci_u64() in oci_json.c). */
	uint64_t big[OCI_BIG_MAX];
	bool big_negative[OCI_BIG_MAX];   /* a negative literal that looked like a marker */
	size_t n_big;
};

/* Rewrite the literals too large for jansson in TEXT (a private copy) into
 * markers, recording their values in C. Returns false if there are more than
 * OCI_BIG_MAX of them (then jansson reports the first as too big). */
bool oci_mark_big_integers(struct oci_ctx *c, char *text, size_t len);

/* "config.json: PATH: MESSAGE"; returns -EINVAL. */
int oci_fail(struct oci_ctx *c, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int oci_oom(struct oci_ctx *c);

/* Field paths: PARENT.KEY (or KEY at the top) and PARENT[I], written to BUF
 * (OCI_PATH_MAX bytes) and returned. */
const char *oci_key(char *buf, const char *parent, const char *key);
const char *oci_index(char *buf, const char *parent, size_t i);

/* The member KEY of OBJ, or NULL if absent or null. */
json_t *oci_get(const json_t *obj, const char *key);

/* Type checks of a value at PATH. */
int oci_check_object(struct oci_ctx *c, const json_t *v, const char *path);
int oci_check_array(struct oci_ctx *c, const json_t *v, const char *path);

/* An integer at PATH in [MIN, MAX] ("must be an integer from MIN to MAX"). */
int oci_int(struct oci_ctx *c, const json_t *v, const char *path, int64_t min, int64_t max,
	    int64_t *ret);
int oci_u64(struct oci_ctx *c, const json_t *v, const char *path, uint64_t max, uint64_t *ret);

/* Readers of member KEY of OBJ (under PARENT). The opt_ forms leave *RET
 * alone and set *PRESENT (if given) to false when the member is absent; the
 * req_ forms fail with "PATH: required". */
int oci_opt_string(struct oci_ctx *c, const json_t *obj, const char *parent, const char *key,
		   const char **ret);
int oci_req_string(struct oci_ctx *c, const json_t *obj, const char *parent, const char *key,
		   const char **ret);
int oci_opt_bool(struct oci_ctx *c, const json_t *obj, const char *parent, const char *key,
		 bool *ret);
int oci_opt_int(struct oci_ctx *c, const json_t *obj, const char *parent, const char *key,
		int64_t min, int64_t max, int64_t *ret, bool *present);
int oci_req_int(struct oci_ctx *c, const json_t *obj, const char *parent, const char *key,
		int64_t min, int64_t max, int64_t *ret);
int oci_opt_u64(struct oci_ctx *c, const json_t *obj, const char *parent, const char *key,
		uint64_t max, uint64_t *ret, bool *present);
int oci_req_u64(struct oci_ctx *c, const json_t *obj, const char *parent, const char *key,
		uint64_t max, uint64_t *ret);

/* An array of strings at PATH appended to OUT ("must be a [non-empty] array
 * of strings"). */
int oci_string_array(struct oci_ctx *c, const json_t *v, const char *path, bool nonempty,
		     struct nb_strv *out);
/* Same for member KEY of OBJ; absent leaves OUT as it is. */
int oci_opt_string_array(struct oci_ctx *c, const json_t *obj, const char *parent,
			 const char *key, struct nb_strv *out);
/* An object of strings at PATH appended to OUT as "key=value". */
int oci_string_map(struct oci_ctx *c, const json_t *v, const char *path, struct nb_strv *out);

/* Fail with "PATH: must be an absolute path" unless S is one. */
int oci_check_abs(struct oci_ctx *c, const char *s, const char *path);
/* Replace *FIELD with a copy of VALUE. */
int oci_set_string(struct oci_ctx *c, char **field, const char *value);
/* REL if absolute, else BASE/REL without "./" parts and doubled slashes;
 * malloc'd, or NULL if out of memory. */
char *oci_resolve_path(const char *base, const char *rel);

/* An array of {containerID, hostID, size} at PATH into MAP, checked by the
 * kernel's rules. Empty arrays leave MAP empty. */
int oci_parse_idmap(struct oci_ctx *c, const json_t *v, const char *path, struct nb_idmap *map);

/* The parts of the document, in the order nb_oci_load() reads them. */
int oci_parse_process(struct oci_ctx *c, const json_t *process);
int oci_parse_linux(struct oci_ctx *c, const json_t *linux_);
int oci_parse_resources(struct oci_ctx *c, const json_t *resources);
/* linux.memoryPolicy and linux.netDevices (oci_host_parts.c). */
int oci_parse_memory_policy(struct oci_ctx *c, const json_t *v);
int oci_parse_net_devices(struct oci_ctx *c, const json_t *v);
int oci_parse_mounts(struct oci_ctx *c, const json_t *mounts);

/* Names nsbox recognizes, for the features document: the Ith mount option
 * (NULL past the last), and NULL-terminated lists. */
const char *oci_mount_option(size_t i);
extern const char *const oci_seccomp_arch_names[];
extern const char *const oci_seccomp_flag_names[];
extern const char *const oci_namespace_names[];

#endif
