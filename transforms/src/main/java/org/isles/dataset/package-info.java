/**
 * An ISLES 2022 dataset on disk: where each file of a case lives ({@link
 * org.isles.dataset.BidsLayout}), finding the cases of a root ({@link
 * org.isles.dataset.CaseDiscovery}) and listing them as JSON or Avro ({@link
 * org.isles.dataset.Manifest}).
 */
package org.isles.dataset;
