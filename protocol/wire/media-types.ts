/** Artifactory's own media types for its JSON answers (jfrog-compat.md §1.1, §1.4, §1.7, §1.8). */
export const MEDIA = {
  itemCreated: 'application/vnd.org.jfrog.artifactory.storage.ItemCreated+json',
  fileInfo: 'application/vnd.org.jfrog.artifactory.storage.FileInfo+json',
  folderInfo: 'application/vnd.org.jfrog.artifactory.storage.FolderInfo+json',
  fileList: 'application/vnd.org.jfrog.artifactory.storage.FileList+json',
  itemProperties: 'application/vnd.org.jfrog.artifactory.storage.ItemProperties+json',
  repositoryList: 'application/vnd.org.jfrog.artifactory.repositories.RepositoryDetailsList+json',
  repositoryConfig: 'application/vnd.org.jfrog.artifactory.repositories.LocalRepositoryConfiguration+json',
  version: 'application/vnd.org.jfrog.artifactory.system.Version+json',
} as const;
